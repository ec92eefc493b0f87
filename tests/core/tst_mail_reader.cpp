// SPDX-License-Identifier: GPL-3.0-or-later
// Unit tests of MailReader; run with --corpus (a second ctest entry) it checks the shared corpus
// instead and exits 77 (skipped) when that corpus is absent.
#include <algorithm>
#include <cstdio>

#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/fsuid.h>
#endif
#include <zlib.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include "core/mail/mail_reader.h"

using namespace Qt::StringLiterals;
using bi::core::Diagnostic;
using bi::core::ProgressSink;
using bi::core::mail::MailReader;
using bi::core::mail::MailSourceKind;
using bi::core::mail::RawMessage;
using bi::core::mail::ReadStats;

namespace {

const QString kData = QStringLiteral(BI_MAIL_TEST_DATA_DIR);
const QString kCorpus = QStringLiteral(BI_SHARED_CORPUS_DIR);

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray gzip(const QByteArray& data)
{
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(static_cast<qsizetype>(deflateBound(&zs, static_cast<uLong>(data.size()))) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(static_cast<qsizetype>(zs.total_out));
    deflateEnd(&zs);
    return out;
}

struct Collected {
    QList<RawMessage> messages;
    bi::core::Result<ReadStats> result = ReadStats{};
};

Collected readPath(const QString& path, ProgressSink* progress = nullptr, int stopAfter = -1)
{
    Collected c;
    c.result = MailReader::read(
        path,
        [&](RawMessage&& m) {
            c.messages << std::move(m);
            return stopAfter < 0 || c.messages.size() < stopAfter;
        },
        progress);
    return c;
}

QString errorText(const Collected& c)
{
    return c.result ? QString() : c.result.error().toString();
}

QStringList sourcePaths(const QList<RawMessage>& messages)
{
    QStringList paths;
    for (const RawMessage& m : messages)
        paths << m.sourcePath;
    return paths;
}

/// The file names of a folder in plain byte order (what `LC_ALL=C ls` shows).
QStringList sortedFiles(const QString& dir)
{
    QStringList names = QDir(dir).entryList(QDir::Files, QDir::NoSort);
    std::sort(names.begin(), names.end(), [](const QString& a, const QString& b) { return a.toUtf8() < b.toUtf8(); });
    return names;
}

/// A message file as it appears inside an mbox: without its own leading envelope line.
QByteArray withoutEnvelope(const QByteArray& file)
{
    if (!file.startsWith("From "))
        return file;
    const qsizetype nl = file.indexOf('\n');
    return nl < 0 ? QByteArray() : file.mid(nl + 1);
}

class RecordingProgress final : public ProgressSink {
public:
    struct Call {
        qint64 done;
        qint64 total;
        QString stage;
    };
    QList<Call> calls;
    int stopAfterChecks = -1;
    mutable int checks = 0;

    void report(qint64 done, qint64 total, QStringView stage) override { calls << Call{done, total, stage.toString()}; }
    bool stopRequested() const override
    {
        ++checks;
        return stopAfterChecks >= 0 && checks > stopAfterChecks;
    }
};

} // namespace

class TstMailReader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    QString tmpPath(const QString& name) const { return m_tmp.filePath(name); }

    /// A folder tree built from the fixtures: nested folders, a Maildir, gzip, and a file that is not mail.
    QString makeFolderTree(const QString& name)
    {
        const QString root = tmpPath(name);
        writeFile(root + u"/a.eml"_s, fileBytes(kData + u"/message.eml"_s));
        writeFile(root + u"/b/inbox.mbox"_s, fileBytes(kData + u"/mboxrd.mbox"_s));
        writeFile(root + u"/b/c/notes.txt"_s, fileBytes(kData + u"/notes.txt"_s));
        writeFile(root + u"/b/c/saved.eml.gz"_s, gzip(fileBytes(kData + u"/envelope_message.eml"_s)));
        writeFile(root + u"/B.mbox"_s, fileBytes(kData + u"/mboxcl2.mbox"_s));
        writeFile(root + u"/empty"_s, QByteArray());
        return root;
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void sniff_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<MailSourceKind>("kind");
        // Content decides, never the name: each fixture is also copied under a misleading name.
        writeFile(tmpPath(u"sniff/mbox.eml"_s), fileBytes(kData + u"/mboxrd.mbox"_s));
        writeFile(tmpPath(u"sniff/message.mbox"_s), fileBytes(kData + u"/message.eml"_s));
        writeFile(tmpPath(u"sniff/mbox.gz"_s), gzip(fileBytes(kData + u"/mboxrd.mbox"_s)));
        writeFile(tmpPath(u"sniff/message.txt"_s), gzip(fileBytes(kData + u"/message.eml"_s)));
        writeFile(tmpPath(u"sniff/binary.mbox"_s), QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + QByteArray(64, '\x01'));
        writeFile(tmpPath(u"sniff/binary.gz"_s), gzip(QByteArray(1000, '\0')));
        writeFile(tmpPath(u"sniff/empty.mbox"_s), QByteArray());
        writeFile(tmpPath(u"sniff/from-header.eml"_s), "From: a@example.org\nSubject: x\n\nbody\n");
        writeFile(tmpPath(u"sniff/blank-then-from"_s), "\n\nFrom a@b Thu Apr 29 23:34:45 2021\nSubject: x\n\nb\n");
        writeFile(tmpPath(u"sniff/newonly/new/1"_s), "Subject: x\n\nb\n");
        QDir().mkpath(tmpPath(u"sniff/plain"_s));
        // "key: value" lines that name no message field: a JSON line, a log's statistics line.
        writeFile(tmpPath(u"sniff/record.jsonl"_s), "{\"line\": 1, \"mta\": \"postfix\"}\n{\"line\": 2}\n");
        writeFile(tmpPath(u"sniff/statistics.log"_s),
                  "statistics: max connection count 10 for (smtp:1.2.3.4) at Sep 11 10:47:30\n"
                  "2298F5F619: to=<admin@corp.example>, relay=none, status=deferred\n");

        QTest::newRow("mbox") << kData + u"/mboxrd.mbox"_s << MailSourceKind::Mbox;
        QTest::newRow("mboxcl2") << kData + u"/mboxcl2.mbox"_s << MailSourceKind::Mbox;
        QTest::newRow("mbox-named-eml") << tmpPath(u"sniff/mbox.eml"_s) << MailSourceKind::Mbox;
        QTest::newRow("message") << kData + u"/message.eml"_s << MailSourceKind::Message;
        QTest::newRow("message-named-mbox") << tmpPath(u"sniff/message.mbox"_s) << MailSourceKind::Message;
        QTest::newRow("message-with-envelope-is-mbox") << kData + u"/envelope_message.eml"_s << MailSourceKind::Mbox;
        QTest::newRow("from-header-is-message") << tmpPath(u"sniff/from-header.eml"_s) << MailSourceKind::Message;
        QTest::newRow("blank-lines-then-from") << tmpPath(u"sniff/blank-then-from"_s) << MailSourceKind::Mbox;
        QTest::newRow("gzip-mbox") << tmpPath(u"sniff/mbox.gz"_s) << MailSourceKind::Mbox;
        QTest::newRow("gzip-message-named-txt") << tmpPath(u"sniff/message.txt"_s) << MailSourceKind::Message;
        QTest::newRow("maildir") << kData + u"/maildir"_s << MailSourceKind::Maildir;
        QTest::newRow("maildir-new-only") << tmpPath(u"sniff/newonly"_s) << MailSourceKind::Maildir;
        QTest::newRow("folder") << tmpPath(u"sniff/plain"_s) << MailSourceKind::Folder;
        QTest::newRow("text") << kData + u"/notes.txt"_s << MailSourceKind::Unknown;
        QTest::newRow("json-lines-are-no-message") << tmpPath(u"sniff/record.jsonl"_s) << MailSourceKind::Unknown;
        QTest::newRow("key-value-line-is-no-message") << tmpPath(u"sniff/statistics.log"_s) << MailSourceKind::Unknown;
        QTest::newRow("binary") << tmpPath(u"sniff/binary.mbox"_s) << MailSourceKind::Unknown;
        QTest::newRow("gzip-binary") << tmpPath(u"sniff/binary.gz"_s) << MailSourceKind::Unknown;
        QTest::newRow("empty-file") << tmpPath(u"sniff/empty.mbox"_s) << MailSourceKind::Mbox;
        QTest::newRow("missing") << tmpPath(u"sniff/does-not-exist"_s) << MailSourceKind::Unknown;
    }

    void sniff()
    {
        QFETCH(QString, path);
        QFETCH(MailSourceKind, kind);
        QCOMPARE(MailReader::sniff(path), kind);
    }

    void readMbox()
    {
        const QString path = kData + u"/mboxrd.mbox"_s;
        const QByteArray file = fileBytes(path);
        const Collected c = readPath(path);
        QVERIFY2(c.result, qPrintable(errorText(c)));
        QCOMPARE(c.messages.size(), 3);
        QCOMPARE(c.result->messages, 3);
        QCOMPARE(c.result->files, QStringList{path});
        QCOMPARE(c.result->bytes, file.size());
        QVERIFY(!c.result->stopped);
        for (int i = 0; i < 3; ++i) {
            const RawMessage& m = c.messages.at(i);
            QCOMPARE(m.index, i + 1);
            QCOMPARE(m.sourcePath, path);
            QVERIFY(m.envelopeLine.startsWith("From "));
            QVERIFY(file.mid(m.offset - m.envelopeLine.size() - 1).startsWith(m.envelopeLine + '\n'));
        }
        // Message 2 has no quoted lines: its stored bytes are exactly the message.
        QCOMPARE(file.mid(c.messages.at(1).offset, c.messages.at(1).length), c.messages.at(1).bytes);
        QVERIFY(c.messages.at(0).bytes.contains("\nFrom the desk of the postmaster"));
        QVERIFY(c.messages.at(0).bytes.contains("\n>From here on two levels"));
        QCOMPARE(c.messages.at(0).length, c.messages.at(0).bytes.size() + 2); // two '>' removed
    }

    void readMessageFile()
    {
        const QString path = kData + u"/message.eml"_s;
        const QByteArray file = fileBytes(path);
        const Collected c = readPath(path);
        QVERIFY2(c.result, qPrintable(errorText(c)));
        QCOMPARE(c.messages.size(), 1);
        const RawMessage& m = c.messages.at(0);
        QCOMPARE(m.bytes, file); // byte for byte: From lines, quoting and trailing blank lines kept
        QCOMPARE(m.index, 1);
        QCOMPARE(m.offset, 0);
        QCOMPARE(m.length, file.size());
        QVERIFY(m.envelopeLine.isEmpty());
        QVERIFY(m.diagnostics.isEmpty());
    }

    void readEnvelopeMessage()
    {
        const QString path = kData + u"/envelope_message.eml"_s;
        const QByteArray file = fileBytes(path);
        const Collected c = readPath(path);
        QVERIFY2(c.result, qPrintable(errorText(c)));
        QCOMPARE(c.messages.size(), 1);
        QCOMPARE(c.messages.at(0).bytes, withoutEnvelope(file));
        QCOMPARE(c.messages.at(0).envelopeLine, file.left(file.indexOf('\n')));
    }

    void readGzip_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("members");
        QTest::newRow("mbox-one-member") << u"mboxrd.mbox"_s << 1;
        QTest::newRow("mbox-three-members") << u"mboxrd.mbox"_s << 3;
        QTest::newRow("mboxcl2") << u"mboxcl2.mbox"_s << 1;
        QTest::newRow("message") << u"message.eml"_s << 1;
        QTest::newRow("message-two-members") << u"message.eml"_s << 2;
    }

    void readGzip()
    {
        // Same messages as the plain file; offsets refer to the decompressed data.
        QFETCH(QString, fixture);
        QFETCH(int, members);
        const QByteArray plain = fileBytes(kData + u'/' + fixture);
        QByteArray compressed;
        for (int i = 0; i < members; ++i) {
            const qsizetype from = plain.size() * i / members;
            const qsizetype to = plain.size() * (i + 1) / members;
            compressed += gzip(plain.mid(from, to - from));
        }
        const QString gzPath = tmpPath(u"gz/"_s + QString::fromLatin1(QTest::currentDataTag()) + u".gz"_s);
        QVERIFY(writeFile(gzPath, compressed));
        const Collected expected = readPath(kData + u'/' + fixture);
        const Collected got = readPath(gzPath);
        QVERIFY2(got.result, qPrintable(errorText(got)));
        QCOMPARE(got.messages.size(), expected.messages.size());
        QCOMPARE(got.result->bytes, plain.size());
        for (qsizetype i = 0; i < got.messages.size(); ++i) {
            QCOMPARE(got.messages.at(i).bytes, expected.messages.at(i).bytes);
            QCOMPARE(got.messages.at(i).offset, expected.messages.at(i).offset);
            QCOMPARE(got.messages.at(i).length, expected.messages.at(i).length);
            QCOMPARE(got.messages.at(i).sourcePath, gzPath);
            QVERIFY(got.messages.at(i).diagnostics.isEmpty());
        }
    }

    void truncatedGzip()
    {
        QByteArray mbox;
        for (int i = 0; i < 300; ++i)
            mbox += "From a@b Thu Apr 29 23:34:45 2021\nSubject: " + QByteArray::number(i) + "\n\n"
                + QByteArray(300, char('a' + i % 26)) + "\n\n";
        const QByteArray compressed = gzip(mbox);
        const QString cut = tmpPath(u"gz/cut.mbox.gz"_s);
        QVERIFY(writeFile(cut, compressed.left(compressed.size() * 2 / 3)));
        const Collected c = readPath(cut);
        QVERIFY2(c.result, qPrintable(errorText(c)));
        QVERIFY(c.messages.size() > 1 && c.messages.size() < 300);
        const RawMessage& last = c.messages.last();
        QVERIFY(std::any_of(last.diagnostics.begin(), last.diagnostics.end(), [](const Diagnostic& d) {
            return d.severity == Diagnostic::Severity::Error && d.what.contains(u"truncated gzip"_s);
        }));

        // Cut inside the gzip header: nothing readable, one clear error, no crash.
        const QString stub = tmpPath(u"gz/stub.gz"_s);
        QVERIFY(writeFile(stub, compressed.left(6)));
        const Collected s = readPath(stub);
        QVERIFY(!s.result);
        QVERIFY2(s.result.error().message.contains(u"truncated gzip"_s), qPrintable(errorText(s)));
        QCOMPARE(s.result.error().context, stub);
    }

    void readMaildir()
    {
        const QString dir = kData + u"/maildir"_s;
        const Collected c = readPath(dir);
        QVERIFY2(c.result, qPrintable(errorText(c)));
        // cur/ and new/ merged in file-name order (delivery order), dot files ignored, then .Sent.
        const QStringList expected{dir + u"/new/1700000001.M1P100.example"_s, dir + u"/cur/1700000002.M2P100.example:2,S"_s,
                                   dir + u"/new/1700000003.M3P100.example"_s,
                                   dir + u"/.Sent/cur/1700000004.M4P100.example:2,S"_s};
        QCOMPARE(sourcePaths(c.messages), expected);
        QCOMPARE(c.result->files, expected);
        for (const RawMessage& m : c.messages) {
            QCOMPARE(m.index, 1);
            QCOMPARE(m.offset, 0);
            QCOMPARE(m.bytes, fileBytes(m.sourcePath));
        }
    }

    void readFolder()
    {
        const QString root = makeFolderTree(u"tree"_s);
        // A Maildir inside the folder, and a symlink loop back to the root.
        for (const QString& f : QDir(kData + u"/maildir/new"_s).entryList(QDir::Files))
            writeFile(root + u"/m/new/"_s + f, fileBytes(kData + u"/maildir/new/"_s + f));
        QVERIFY(QFile::link(root, root + u"/b/loop"_s));
        QVERIFY(QFile::link(root + u"/a.eml"_s, root + u"/b/c/link-to-a.eml"_s));
        QVERIFY(::mkfifo(QFile::encodeName(root + u"/fifo"_s).constData(), 0600) == 0);

        QElapsedTimer timer;
        timer.start();
        const Collected c = readPath(root);
        QVERIFY2(c.result, qPrintable(errorText(c)));
        QVERIFY(timer.elapsed() < 10000);
        const QStringList expectedSources{
            root + u"/B.mbox"_s, root + u"/B.mbox"_s, // upper case sorts first (code-point order)
            root + u"/a.eml"_s,
            root + u"/b/c/saved.eml.gz"_s,
            root + u"/b/inbox.mbox"_s, root + u"/b/inbox.mbox"_s, root + u"/b/inbox.mbox"_s,
            root + u"/m/new/1700000001.M1P100.example"_s, root + u"/m/new/1700000003.M3P100.example"_s,
        };
        QCOMPARE(sourcePaths(c.messages), expectedSources);
        QCOMPARE(c.messages.at(1).index, 2);
        QCOMPARE(c.messages.at(6).index, 3);
        QCOMPARE(c.result->files.size(), 6);
        const QStringList skipped = c.result->skippedFiles;
        QCOMPARE(skipped.size(), 3);
        QVERIFY(skipped.filter(root + u"/b/c/notes.txt: not a mailbox or message"_s).size() == 1);
        QVERIFY(skipped.filter(root + u"/empty: empty file"_s).size() == 1);
        QVERIFY(skipped.filter(root + u"/fifo: not a regular file"_s).size() == 1);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        writeFile(tmpPath(u"err/binary.mbox"_s), QByteArray("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16));
        QDir().mkpath(tmpPath(u"err/empty-folder"_s));
        writeFile(tmpPath(u"err/no-mail/notes.txt"_s), fileBytes(kData + u"/notes.txt"_s));
        writeFile(tmpPath(u"err/no-mail/sub/empty"_s), QByteArray());
        QDir().mkpath(tmpPath(u"err/empty-maildir/cur"_s));
        QTest::newRow("missing") << tmpPath(u"err/nothing-here"_s) << u"cannot open: no such file or folder"_s;
        QTest::newRow("binary") << tmpPath(u"err/binary.mbox"_s)
                                << u"not a mailbox or message (starts with binary data)"_s;
        {
            // A tar member header (name, modes, "ustar" at 257) before a mailbox's text.
            QByteArray tar(512, '\0');
            tar.replace(0, 12, "inbox.mbox\0\0");
            tar.replace(257, 6, QByteArray("ustar\0", 6));
            writeFile(tmpPath(u"err/mail.tar"_s), tar + fileBytes(kData + u"/mboxrd.mbox"_s));
            QTest::newRow("tar") << tmpPath(u"err/mail.tar"_s) << u"a tar archive: unpack it and import its files"_s;
        }
        {
            // A tar member header (name, modes, "ustar" at 257) before a mailbox's text.
            QByteArray tar(512, '\0');
            tar.replace(0, 12, "inbox.mbox\0\0");
            tar.replace(257, 6, QByteArray("ustar\0", 6));
            writeFile(tmpPath(u"err/mail.tar"_s), tar + fileBytes(kData + u"/mboxrd.mbox"_s));
            QTest::newRow("tar") << tmpPath(u"err/mail.tar"_s) << u"a tar archive: unpack it and import its files"_s;
        }
        QTest::newRow("text") << kData + u"/notes.txt"_s
                              << u"not a mailbox or message (no \"From \" line or header field at the start)"_s;
        QTest::newRow("empty-folder") << tmpPath(u"err/empty-folder"_s) << u"no mail found in folder"_s;
        QTest::newRow("folder-without-mail") << tmpPath(u"err/no-mail"_s) << u"no mail found in folder"_s;
        QTest::newRow("empty-maildir") << tmpPath(u"err/empty-maildir"_s) << u"no mail found in folder"_s;
    }

    void errors()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        const Collected c = readPath(path);
        QVERIFY(!c.result);
        QCOMPARE(c.result.error().message, message);
        QCOMPARE(c.result.error().context, path);
        QVERIFY(c.messages.isEmpty());
    }

    void emptyFileIsNoError()
    {
        const QString path = tmpPath(u"empty-inbox"_s);
        QVERIFY(writeFile(path, QByteArray()));
        const Collected c = readPath(path);
        QVERIFY2(c.result, qPrintable(errorText(c)));
        QCOMPARE(c.result->messages, 0);
        QVERIFY(c.result->files.isEmpty());
    }

    void permissionDenied()
    {
        const QString file = tmpPath(u"perm/locked.mbox"_s);
        QVERIFY(writeFile(file, fileBytes(kData + u"/mboxrd.mbox"_s)));
        QVERIFY(QFile::setPermissions(file, QFileDevice::WriteOwner));
        QVERIFY(writeFile(tmpPath(u"perm/ok.eml"_s), fileBytes(kData + u"/message.eml"_s)));
        auto restore = qScopeGuard([&file] {
            QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        });
        // Root reads any file, and CI runs as root: there the reads below check files as
        // nobody (Linux: a non-zero fsuid drops CAP_DAC_OVERRIDE, for this thread only), with
        // the temporary folder opened up for nobody to walk.
        const bool asRoot = ::geteuid() == 0;
#ifdef Q_OS_LINUX
        QVERIFY(!asRoot || ::chmod(QFile::encodeName(m_tmp.path()).constData(), 0755) == 0);
        struct NobodysFileChecks {
            const bool on;
            explicit NobodysFileChecks(bool root) : on(root) { if (on) ::setfsuid(65534); }
            ~NobodysFileChecks() { if (on) ::setfsuid(0); }
        };
#else
        if (asRoot)
            QSKIP("running as root: file permissions are not enforced");
#endif
        Collected c;
        Collected f;
        {
#ifdef Q_OS_LINUX
            const NobodysFileChecks nobody(asRoot);
            QVERIFY(!asRoot || ::setfsuid(-1) == 65534); // -1 only asks
#endif
            c = readPath(file);
            // Inside a folder the same file is skipped with its reason; the rest is read.
            f = readPath(tmpPath(u"perm"_s));
        }
        QVERIFY(!c.result);
        QCOMPARE(c.result.error().message, u"cannot open: Permission denied"_s);
        QVERIFY2(f.result, qPrintable(errorText(f)));
        QCOMPARE(f.messages.size(), 1);
        QCOMPARE(f.result->skippedFiles, QStringList{file + u": cannot open: Permission denied"_s});
    }

    void stopRequested()
    {
        // The ProgressSink is asked after every message; stopping is not an error.
        const QString root = makeFolderTree(u"stop-tree"_s);
        RecordingProgress progress;
        progress.stopAfterChecks = 2; // the check before the first file, then one per message
        const Collected c = readPath(root, &progress);
        QVERIFY2(c.result, qPrintable(errorText(c)));
        QVERIFY(c.result->stopped);
        QCOMPARE(c.messages.size(), 2);
        QCOMPARE(c.result->messages, 2);

        RecordingProgress atOnce;
        atOnce.stopAfterChecks = 0;
        const Collected none = readPath(kData + u"/mboxrd.mbox"_s, &atOnce);
        QVERIFY2(none.result, qPrintable(errorText(none)));
        QVERIFY(none.result->stopped);
        QCOMPARE(none.messages.size(), 0);
    }

    void sinkStops()
    {
        const Collected c = readPath(kData + u"/mboxrd.mbox"_s, nullptr, 1);
        QVERIFY2(c.result, qPrintable(errorText(c)));
        QVERIFY(c.result->stopped);
        QCOMPARE(c.messages.size(), 1);
        QCOMPARE(c.result->messages, 1);
    }

    void progressReports()
    {
        // A mailbox of several MiB: reports are in bytes, throttled, monotonic and end at the total.
        QByteArray mbox;
        for (int i = 0; i < 3000; ++i)
            mbox += "From a@b Thu Apr 29 23:34:45 2021\nSubject: " + QByteArray::number(i) + "\n\n"
                + QByteArray(2000, 'p') + "\n\n";
        for (const bool compressed : {false, true}) {
            const QString path = tmpPath(compressed ? u"progress.mbox.gz"_s : u"progress.mbox"_s);
            const QByteArray data = compressed ? gzip(mbox) : mbox;
            QVERIFY(writeFile(path, data));
            RecordingProgress progress;
            QElapsedTimer timer;
            timer.start();
            const Collected c = readPath(path, &progress);
            const qint64 elapsed = timer.elapsed();
            QVERIFY2(c.result, qPrintable(errorText(c)));
            QCOMPARE(c.messages.size(), 3000);
            QVERIFY(!progress.calls.isEmpty());
            QVERIFY2(progress.calls.size() <= 3 + elapsed / 100,
                     qPrintable(u"%1 reports in %2 ms"_s.arg(progress.calls.size()).arg(elapsed)));
            qint64 last = -1;
            for (const auto& call : std::as_const(progress.calls)) {
                QCOMPARE(call.stage, u"bytes"_s);
                QCOMPARE(call.total, data.size());
                QVERIFY(call.done >= last);
                QVERIFY(call.done <= call.total);
                last = call.done;
            }
            QCOMPARE(last, data.size());
            QVERIFY(progress.checks >= 3000); // stop is checked between messages
        }
    }
};

/// Agreement with the shared corpus: the mbox and the folder of files give the same messages.
class TstMailCorpus : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    void compareMboxWithFiles(const QString& set, int expectedCount)
    {
        const QString mbox = kCorpus + u'/' + set + u"/public.mbox"_s;
        const QString emails = kCorpus + u'/' + set + u"/emails"_s;
        const QStringList names = sortedFiles(emails);
        QCOMPARE(names.size(), expectedCount);
        const QByteArray mboxBytes = fileBytes(mbox);
        const Collected c = readPath(mbox);
        QVERIFY2(c.result, qPrintable(errorText(c)));
        QCOMPARE(c.messages.size(), expectedCount);
        for (int i = 0; i < expectedCount; ++i) {
            const QByteArray file = fileBytes(emails + u'/' + names.at(i));
            const RawMessage& m = c.messages.at(i);
            QVERIFY2(m.bytes == withoutEnvelope(file), qPrintable(u"message %1 differs from %2"_s.arg(i + 1).arg(names.at(i))));
            QCOMPARE(m.index, i + 1);
            if (file.startsWith("From ")) {
                QByteArray envelope = file.left(file.indexOf('\n'));
                if (envelope.endsWith('\r'))
                    envelope.chop(1);
                QCOMPARE(m.envelopeLine, envelope);
            }
            // No line of the corpus needs quoting, so the stored bytes are the message itself.
            QVERIFY(mboxBytes.mid(m.offset, m.length) == m.bytes);
        }

        // The same mailbox gzip-compressed gives the same messages.
        const QString gz = m_tmp.filePath(set + u".mbox.gz"_s);
        QVERIFY(writeFile(gz, gzip(mboxBytes)));
        const Collected z = readPath(gz);
        QVERIFY2(z.result, qPrintable(errorText(z)));
        QCOMPARE(z.messages.size(), expectedCount);
        for (int i = 0; i < expectedCount; ++i)
            QVERIFY(z.messages.at(i).bytes == c.messages.at(i).bytes);
    }

    void compareFolderWithMbox(const QString& set, int expectedCount)
    {
        const QString emails = kCorpus + u'/' + set + u"/emails"_s;
        const Collected fromMbox = readPath(kCorpus + u'/' + set + u"/public.mbox"_s);
        const Collected fromFolder = readPath(emails);
        QVERIFY2(fromFolder.result, qPrintable(errorText(fromFolder)));
        QCOMPARE(fromFolder.messages.size(), expectedCount);
        QVERIFY(fromFolder.result->skippedFiles.isEmpty());
        const QStringList names = sortedFiles(emails);
        for (int i = 0; i < expectedCount; ++i) {
            QVERIFY2(fromFolder.messages.at(i).bytes == fromMbox.messages.at(i).bytes,
                     qPrintable(u"message %1 (%2)"_s.arg(i + 1).arg(names.at(i))));
            QCOMPARE(fromFolder.messages.at(i).sourcePath, emails + u'/' + names.at(i));
        }
    }

private slots:
    void bouncesMbox() { compareMboxWithFiles(u"bounces"_s, 409); }
    void fluflMbox() { compareMboxWithFiles(u"bounces-flufl"_s, 171); }
    void bouncesFolder() { compareFolderWithMbox(u"bounces"_s, 409); }
    void fluflFolder() { compareFolderWithMbox(u"bounces-flufl"_s, 171); }
};

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    const bool corpus = args.removeAll(u"--corpus"_s) > 0;
    if (corpus) {
        if (!QFileInfo::exists(kCorpus + u"/bounces/public.mbox"_s)
            || !QFileInfo::exists(kCorpus + u"/bounces-flufl/public.mbox"_s)) {
            std::printf("shared corpus not found at %s: skipping the corpus tests\n", qPrintable(kCorpus));
            return 77;
        }
        TstMailCorpus test;
        return QTest::qExec(&test, args);
    }
    TstMailReader test;
    return QTest::qExec(&test, args);
}

#include "tst_mail_reader.moc"
