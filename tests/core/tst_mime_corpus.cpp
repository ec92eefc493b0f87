// SPDX-License-Identifier: GPL-3.0-or-later
#include <cstdio>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include "core/mail/mime_adapter.h"

using namespace Qt::StringLiterals;
using bi::core::Diagnostic;
using bi::core::mail::MimeAdapter;
using bi::core::mail::MimePart;

namespace {

QString corpusDir()
{
    return QStringLiteral(BI_SHARED_CORPUS_DIR "/bounces/emails");
}

int depthOf(const MimePart& root)
{
    int maxDepth = 0;
    QList<std::pair<const MimePart*, int>> stack{{&root, 0}};
    while (!stack.isEmpty()) {
        const auto [p, d] = stack.takeLast();
        maxDepth = qMax(maxDepth, d);
        for (const MimePart& c : p->children)
            stack.append({&c, d + 1});
    }
    return maxDepth;
}

} // namespace

/// Smoke run over the shared sisimai corpus: every file parses, and every file whose raw
/// text declares a message/delivery-status part yields at least one such part.
class TstMimeCorpus : public QObject {
    Q_OBJECT

private slots:
    void parseEveryFile_data();
    void parseEveryFile();
};

void TstMimeCorpus::parseEveryFile_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(corpusDir());
    const QStringList names = dir.entryList(QDir::Files, QDir::Name);
    QVERIFY(!names.isEmpty());
    for (const QString& name : names)
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
}

void TstMimeCorpus::parseEveryFile()
{
    QFETCH(QString, path);
    QFile f(path);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
    const QByteArray raw = f.readAll();

    QElapsedTimer timer;
    timer.start();
    const MimePart root = MimeAdapter::parse(raw);
    QVERIFY(timer.elapsed() < 5000);
    QVERIFY2(!root.headers.isEmpty(), "a bounce always has a header");
    QVERIFY(depthOf(root) <= MimeAdapter::kMaxNesting);
    for (const Diagnostic& d : root.diagnostics)
        QVERIFY2(d.severity != Diagnostic::Severity::Error, qPrintable(d.toString()));

    // A Content-Type field line declaring the part, anywhere (also in embedded messages).
    static const QRegularExpression declared(u"^content-type:\\s*message/delivery-status"_s,
                                             QRegularExpression::CaseInsensitiveOption
                                                 | QRegularExpression::MultilineOption);
    const QString text = QString::fromLatin1(raw);
    qsizetype declaredCount = 0;
    for (auto it = declared.globalMatch(text); it.hasNext(); it.next())
        ++declaredCount;
    const qsizetype found = root.findAll("message/delivery-status").size();
    if (raw.contains("message/delivery-status"))
        QVERIFY2(found > 0, "declared message/delivery-status part not found");
    QVERIFY2(found <= declaredCount, "more delivery-status parts than declared");
    if (found != declaredCount)
        qWarning("%s: %lld delivery-status parts declared, %lld found", qPrintable(path), qlonglong(declaredCount),
                 qlonglong(found));
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (!QDir(corpusDir()).exists()) {
        std::printf("SKIP: shared corpus not found at %s\n", qPrintable(corpusDir()));
        return 77;
    }
    TstMimeCorpus test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_mime_corpus.moc"
