// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end agreement of `bounce-inspector-cli parse --jsonl` with the labelled corpus.
#include <cstdio>
#include <map>
#include <set>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "corpus_records.h"

using namespace Qt::StringLiterals;

class TstBounceCorpus final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void standardFormatsAgreeWithLabels();
    void mboxGivesTheSameRecordsAsFiles();
    void fluflCorpusAddresses();

private:
    QString m_dir;
    QList<QJsonObject> m_fromFiles;
};

namespace {

QString key(const QString& file, int index)
{
    return QFileInfo(file).fileName() + u'#' + QString::number(index);
}

QString familyOf(const QJsonObject& expected)
{
    return expected[u"source_module"_s].toString();
}

// Everything a record says about the bounce, without where it was read from.
QString content(const QJsonObject& o)
{
    QJsonObject c = o;
    c.remove(u"file"_s);
    c.remove(u"message"_s);
    return QString::fromUtf8(QJsonDocument(c).toJson(QJsonDocument::Compact));
}

} // namespace

void TstBounceCorpus::initTestCase()
{
    m_dir = corpus::corpusDir();
    QVERIFY(!m_dir.isEmpty());
    int exitCode = -1;
    m_fromFiles = corpus::runCliJsonl({u"parse"_s, u"--jsonl"_s, m_dir + u"/bounces/emails"_s}, &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY(!m_fromFiles.isEmpty());
}

void TstBounceCorpus::standardFormatsAgreeWithLabels()
{
    std::map<QString, QJsonObject> actual;
    for (const QJsonObject& o : m_fromFiles)
        actual[key(o[u"file"_s].toString(), o[u"index"_s].toInt())] = o;

    int standard = 0, standardOk = 0, all = 0, allOk = 0;
    QStringList failures;
    QStringList otherFailures;
    for (const QJsonObject& e : corpus::readJsonl(m_dir + u"/bounces/expected.jsonl"_s)) {
        const QString k = key(e[u"file"_s].toString(), e[u"index"_s].toInt());
        const auto it = actual.find(k);
        QString why = u"no record"_s;
        const bool ok = it != actual.end() && corpus::recordAgrees(e, it->second, &why);
        const QString family = familyOf(e);
        const bool isStandard = family == u"rfc3464" || family == u"arf" || family == u"rfc3834";
        ++all;
        allOk += ok;
        if (isStandard) {
            ++standard;
            standardOk += ok;
            if (!ok)
                failures << k + u": "_s + why;
        } else if (!ok) {
            otherFailures << k + u": "_s + why;
        }
    }
    std::printf("standard formats (rfc3464, arf, rfc3834): %d of %d records agree (%.1f %%)\n", standardOk,
                standard, 100.0 * standardOk / std::max(standard, 1));
    std::printf("all families: %d of %d records agree (%.1f %%)\n", allOk, all, 100.0 * allOk / std::max(all, 1));
    for (const QString& f : failures)
        std::printf("  disagrees: %s\n", qPrintable(f));
    for (const QString& f : otherFailures)
        std::printf("  disagrees (vendor family): %s\n", qPrintable(f));
    QVERIFY(standard > 30);
    QVERIFY(all > 400);
    QVERIFY2(standardOk == standard, "standard formats (RFC 3464, ARF, RFC 3834) must agree");
    QVERIFY2(allOk * 100 >= all * 97, "at least 97 % of all labelled records must agree");
}

void TstBounceCorpus::mboxGivesTheSameRecordsAsFiles()
{
    int exitCode = -1;
    const QList<QJsonObject> fromMbox =
        corpus::runCliJsonl({u"parse"_s, u"--jsonl"_s, m_dir + u"/bounces/public.mbox"_s}, &exitCode);
    QCOMPARE(exitCode, 0);

    QStringList files = QDir(m_dir + u"/bounces/emails"_s).entryList(QDir::Files, QDir::Name);
    std::map<QString, int> positionOf;
    for (int i = 0; i < files.size(); ++i)
        positionOf[files.at(i)] = i + 1;

    std::map<int, QStringList> byFile;
    for (const QJsonObject& o : m_fromFiles)
        byFile[positionOf[QFileInfo(o[u"file"_s].toString()).fileName()]] << content(o);
    std::map<int, QStringList> byMessage;
    for (const QJsonObject& o : fromMbox)
        byMessage[o[u"message"_s].toInt()] << content(o);

    QCOMPARE(fromMbox.size(), m_fromFiles.size());
    for (const auto& [position, records] : byFile)
        QCOMPARE(byMessage[position], records);
}

// The second labelled corpus (flufl.bounce and Mail::DeliveryStatus::BounceParser samples) says
// only which addresses bounced: a file agrees when the recipients of its bounce and delay records
// are exactly its "bounced" list (case-insensitive); a file whose list is empty (not a bounce:
// auto-replies, challenges, warnings, spam) must give no such record. "bounced": null states nothing.
void TstBounceCorpus::fluflCorpusAddresses()
{
    const QString base = m_dir + u"/bounces-flufl"_s;
    QVERIFY2(QDir(base + u"/emails"_s).exists(), "bounces-flufl missing from the shared corpus");
    int exitCode = -1;
    const QList<QJsonObject> records = corpus::runCliJsonl({u"parse"_s, u"--jsonl"_s, base + u"/emails"_s}, &exitCode);
    QCOMPARE(exitCode, 0);

    std::map<QString, std::set<QString>> bounced;
    for (const QJsonObject& o : records) {
        const QString kind = o[u"kind"_s].toString();
        if (kind == u"bounce" || kind == u"delay")
            bounced[QFileInfo(o[u"file"_s].toString()).fileName()].insert(o[u"recipient"_s].toString().toLower());
    }

    int listed = 0, listedOk = 0, none = 0, noneOk = 0;
    QStringList failures;
    for (const QJsonObject& e : corpus::readJsonl(base + u"/expected.jsonl"_s)) {
        if (!e[u"bounced"_s].isArray())
            continue;
        const QString file = QFileInfo(e[u"file"_s].toString()).fileName();
        std::set<QString> want;
        for (const QJsonValue& a : e[u"bounced"_s].toArray())
            want.insert(a.toString().toLower());
        const std::set<QString>& got = bounced[file];
        const bool ok = got == want;
        if (want.empty()) {
            ++none;
            noneOk += ok;
        } else {
            ++listed;
            listedOk += ok;
        }
        if (!ok) {
            QStringList w(want.begin(), want.end()), g(got.begin(), got.end());
            failures << u"%1: want [%2] got [%3]"_s.arg(file, w.join(u' '), g.join(u' '));
        }
    }
    std::printf("bounces-flufl: %d of %d files with addresses give exactly those (%.1f %%); "
                "%d of %d not-a-bounce files give no bounce/delay record\n",
                listedOk, listed, 100.0 * listedOk / std::max(listed, 1), noneOk, none);
    for (const QString& f : failures)
        std::printf("  bounces-flufl disagrees: %s\n", qPrintable(f));
    QVERIFY(listed > 100);
    QVERIFY(none > 5);
    // Issue 3: at least 95 %. Two labels can never be met together with the sisimai corpus:
    // dsn_17.txt and postfix-orig.msg want the Original-Recipient where the sisimai labels of the
    // same Postfix layout (rfc3464-09.eml) want the Final-Recipient.
    QVERIFY2(listedOk * 100 >= listed * 95, "at least 95 % of the files with addresses must agree");
    QCOMPARE(noneOk, none);
}

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    if (corpus::corpusDir().isEmpty())
        return 77;
    TstBounceCorpus test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_bounce_corpus.moc"
