// SPDX-License-Identifier: GPL-3.0-or-later
// fileSha256: the digest sha256sum prints, for empty, small and multi-block files; a missing
// file is an I/O error; a set cancel flag ends the read with a Cancelled error.
#include <atomic>

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "core/import/source_digest.h"

using namespace Qt::StringLiterals;
using bi::core::ErrorCode;
using bi::core::import::fileSha256;

namespace {

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

} // namespace

class TstSourceDigest final : public QObject {
    Q_OBJECT
private slots:
    void knownDigests();
    void manyBlocks();
    void missingFile();
    void cancelled();
};

void TstSourceDigest::knownDigests()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // FIPS 180-2 test vectors, as sha256sum prints them.
    auto empty = fileSha256(write(dir, u"empty"_s, {}));
    QVERIFY(empty);
    QCOMPARE(*empty, QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    auto abc = fileSha256(write(dir, u"abc"_s, "abc"));
    QVERIFY(abc);
    QCOMPARE(*abc, QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

void TstSourceDigest::manyBlocks()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Three and a half 1 MiB blocks of random bytes: the block joins must not matter.
    QByteArray bytes(3 * 1024 * 1024 + 512 * 1024, Qt::Uninitialized);
    QRandomGenerator rng(20261130);
    for (char& c : bytes)
        c = char(rng.bounded(256));
    const QString path = write(dir, u"big"_s, bytes);
    QVERIFY(!path.isEmpty());
    auto digest = fileSha256(path);
    QVERIFY(digest);
    QCOMPARE(*digest, QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    // An unset flag changes nothing.
    std::atomic<bool> cancel = false;
    auto again = fileSha256(path, &cancel);
    QVERIFY(again);
    QCOMPARE(*again, *digest);
}

void TstSourceDigest::missingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto digest = fileSha256(dir.filePath(u"absent"_s));
    QVERIFY(!digest);
    QCOMPARE(digest.error().code, ErrorCode::Io);
}

void TstSourceDigest::cancelled()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = write(dir, u"some"_s, QByteArray(2 * 1024 * 1024, 'x'));
    QVERIFY(!path.isEmpty());
    std::atomic<bool> cancel = true;
    auto digest = fileSha256(path, &cancel);
    QVERIFY(!digest);
    QCOMPARE(digest.error().code, ErrorCode::Cancelled);
}

QTEST_GUILESS_MAIN(TstSourceDigest)
#include "tst_source_digest.moc"
