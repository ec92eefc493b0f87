// SPDX-License-Identifier: GPL-3.0-or-later
// Dashboard aggregates (core/report) against the fates they summarise and the scenario's truth;
// reason groups, the provider table and the time-to-bounce bins.
#include <QHash>
#include <QTemporaryDir>
#include <QTest>

#include "core/import/import_job.h"
#include "core/report/dashboard_data.h"
#include "core/report/provider_map.h"
#include "core/report/reason_group.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"
#include "scenario.h"

using namespace Qt::StringLiterals;
using namespace bi::core;

class TstDashboardData final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void reasonGroups_data();
    void reasonGroups();
    void providers_data();
    void providers();
    void histogramBins();
    void fatesPerProvider();
    void reasonsMatchFates();
    void timeToBounceMatchesFates();
    void deferralsMatchTruth();
    void bounceVolumeCountsBounces();
    void emptyProject();
    void farDatedBounceIsNotDrawn();

private:
    QTemporaryDir m_dir;
    QString m_project;
    QList<bi::scenario::TruthRecord> m_truth;
    QList<store::FateRecord> m_fates;
    report::DashboardData m_data;
};

void TstDashboardData::initTestCase()
{
    QVERIFY(m_dir.isValid());
    bi::scenario::ScenarioOptions options;
    options.seed = 6002;
    options.messages = 150;
    QString error;
    m_truth = bi::scenario::ScenarioGenerator(options).writeTo(m_dir.filePath(u"scenario"_s), &error);
    QVERIFY2(!m_truth.isEmpty(), qPrintable(error));

    m_project = m_dir.filePath(u"project.bip"_s);
    auto store = store::ProjectStore::open(m_project, u"test"_s);
    QVERIFY2(store, store ? "" : qPrintable(store.error().toString()));
    import::ImportOptions importOptions;
    importOptions.logTimeZone = QTimeZone(3600);
    import::ImportJob job(*store, importOptions);
    auto summary = job.run({m_dir.filePath(u"scenario/postfix.log"_s), m_dir.filePath(u"scenario/mailbox-postfix.mbox"_s)});
    QVERIFY2(summary && summary->errors.isEmpty(), "import failed");
    store::FateRepository fates(*store);
    QVERIFY(fates.forEach([this](const store::FateRecord& f) {
        m_fates << f;
        return true;
    }));
    QVERIFY(m_fates.size() > 100);
    auto data = report::DashboardDataBuilder::load(*store);
    QVERIFY2(data, data ? "" : qPrintable(data.error().toString()));
    m_data = *data;
}

void TstDashboardData::reasonGroups_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("group");
    QTest::newRow("userunknown") << u"userunknown"_s << u"recipient"_s;
    QTest::newRow("mixed-case") << u"MailboxFull"_s << u"recipient"_s;
    QTest::newRow("blocked") << u"blocked"_s << u"infrastructure"_s;
    QTest::newRow("expired") << u"expired"_s << u"infrastructure"_s;
    QTest::newRow("spamdetected") << u"spamdetected"_s << u"content"_s;
    QTest::newRow("mesgtoobig") << u"mesgtoobig"_s << u"content"_s;
    QTest::newRow("empty") << QString() << u"other"_s;
    QTest::newRow("unknown-word") << u"whatever"_s << u"other"_s;
}

void TstDashboardData::reasonGroups()
{
    QFETCH(QString, reason);
    QFETCH(QString, group);
    const report::ReasonGroup g = report::reasonGroupOf(reason);
    QCOMPARE(report::reasonGroupName(g), group);
    QCOMPARE(report::reasonGroupFromName(group), g);
    if (!reason.isEmpty() && reason != u"whatever")
        QVERIFY(report::reasonsIn(g).contains(reason.toLower()));
}

void TstDashboardData::providers_data()
{
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("provider");
    QTest::newRow("gmail") << u"gmail.com"_s << QString() << u"Google"_s;
    QTest::newRow("yahoo-any-tld") << u"yahoo.co.uk"_s << QString() << u"Yahoo"_s;
    QTest::newRow("hotmail-fr") << u"Hotmail.FR"_s << QString() << u"Microsoft"_s;
    QTest::newRow("web.de") << u"web.de"_s << QString() << u"GMX / Web.de"_s;
    QTest::newRow("workspace-by-mx") << u"firma.example"_s << u"aspmx.l.google.com"_s << u"Google"_s;
    QTest::newRow("m365-relay-notation") << u"corp.example"_s
                                         << u"corp-example.mail.protection.outlook.com[52.101.1.1]:25"_s
                                         << u"Microsoft"_s;
    QTest::newRow("lookalike-host") << u"x.example"_s << u"evilgoogle.com"_s << u"x.example"_s;
    QTest::newRow("lookalike-domain") << u"notgmail.com"_s << QString() << u"notgmail.com"_s;
}

void TstDashboardData::providers()
{
    QFETCH(QString, domain);
    QFETCH(QString, host);
    QFETCH(QString, provider);
    QCOMPARE(report::ProviderMap::builtIn().providerOrDomain(domain, host), provider);
}

void TstDashboardData::histogramBins()
{
    const QList<qint64> seconds{30, 3599, 3600, 5 * 3600, 3 * 86400, 20 * 86400, 400 * 86400};
    const QList<report::HistogramBin> bins = report::DashboardDataBuilder::histogram(seconds);
    QCOMPARE(bins.size(), 11);
    QCOMPARE(bins.first().label, u"<1 h"_s);
    QCOMPARE(bins.first().filterValue(), u"0,1"_s);
    QCOMPARE(bins.first().count, 2);
    QCOMPARE(bins.at(1).count, 1);  // exactly one hour: [1, 2)
    QCOMPARE(bins.at(3).count, 1);  // 5 h: [4, 8)
    QCOMPARE(bins.at(8).count, 1);  // 3 d: [72, 168)
    QCOMPARE(bins.last().count, 2); // 20 d and 400 d
    QCOMPARE(bins.last().filterValue(), u"336,"_s);
    qint64 total = 0;
    for (const auto& b : bins)
        total += b.count;
    QCOMPARE(total, qint64(seconds.size()));
}

void TstDashboardData::fatesPerProvider()
{
    QHash<QString, std::array<qint64, 5>> expected;
    for (const store::FateRecord& f : std::as_const(m_fates)) {
        const QString domain = f.recipient.section(u'@', -1).toLower();
        const QString label = report::ProviderMap::builtIn().providerOrDomain(domain);
        ++expected[label][size_t(f.fate)];
    }
    QCOMPARE(m_data.fates, qint64(m_fates.size()));
    const qsizetype kept = report::DashboardDataBuilder::kMaxProviders;
    QVERIFY(expected.size() > kept + 1); // the scenario has more domains than bars: a lumped rest
    QCOMPARE(m_data.providers.size(), kept + 1);
    qint64 sum = 0;
    for (const report::ProviderFates& p : std::as_const(m_data.providers)) {
        sum += p.total();
        if (p.field.isEmpty()) {
            QCOMPARE(p.label, u"Other domains"_s);
            continue;
        }
        QVERIFY2(expected.contains(p.label), qPrintable(p.label));
        QCOMPARE(p.byFate, expected.value(p.label));
    }
    QCOMPARE(sum, qint64(m_fates.size()));
    QVERIFY(m_data.providers.constLast().field.isEmpty());
    // Largest first, providers named, other domains filter by domain.
    for (qsizetype i = 1; i < m_data.providers.size() - 1; ++i)
        QVERIFY(m_data.providers.at(i - 1).total() >= m_data.providers.at(i).total());
    bool sawGoogle = false, sawDomain = false;
    for (const report::ProviderFates& p : std::as_const(m_data.providers)) {
        if (p.label == u"Google") {
            sawGoogle = true;
            QCOMPARE(p.field, u"provider"_s);
        }
        if (p.field == u"domain") {
            sawDomain = true;
            QCOMPARE(p.value, p.label);
            QVERIFY(report::ProviderMap::builtIn().providerForDomain(p.value).isEmpty());
        }
    }
    QVERIFY(sawGoogle);
    QVERIFY(sawDomain);
}

void TstDashboardData::reasonsMatchFates()
{
    QHash<QString, qint64> expected;
    qint64 failed = 0;
    for (const store::FateRecord& f : std::as_const(m_fates)) {
        if (f.fate == store::Fate::Rejected || f.fate == store::Fate::Expired || f.fate == store::Fate::AsyncBounce) {
            ++expected[f.reason];
            ++failed;
        }
    }
    QVERIFY(failed > 0);
    QCOMPARE(m_data.failedFates, failed);
    QCOMPARE(m_data.reasons.size(), expected.size());
    int lastGroup = -1;
    for (const report::ReasonSlice& r : std::as_const(m_data.reasons)) {
        QCOMPARE(r.count, expected.value(r.reason));
        QCOMPARE(r.group, report::reasonGroupOf(r.reason));
        QVERIFY(int(r.group) >= lastGroup); // grouped in display order
        lastGroup = int(r.group);
    }
}

void TstDashboardData::timeToBounceMatchesFates()
{
    QList<qint64> seconds;
    for (const store::FateRecord& f : std::as_const(m_fates)) {
        if (f.fate == store::Fate::AsyncBounce && f.finalAt.isValid() && f.bounceAt.isValid() && f.bounceAt >= f.finalAt)
            seconds << f.finalAt.secsTo(f.bounceAt);
    }
    QVERIFY(!seconds.isEmpty());
    const QList<report::HistogramBin> expected = report::DashboardDataBuilder::histogram(seconds);
    QCOMPARE(m_data.timeToBounce.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(m_data.timeToBounce.at(i).count, expected.at(i).count);
}

void TstDashboardData::deferralsMatchTruth()
{
    qint64 truthDeferrals = 0;
    for (const bi::scenario::TruthRecord& t : std::as_const(m_truth))
        truthDeferrals += t.deferrals;
    qint64 counted = 0;
    QDate previous;
    for (const report::DayCount& d : std::as_const(m_data.deferralsPerDay)) {
        QVERIFY(!previous.isValid() || previous < d.day);
        previous = d.day;
        counted += d.count;
    }
    QVERIFY(truthDeferrals > 0);
    QCOMPARE(counted, truthDeferrals);
}

void TstDashboardData::bounceVolumeCountsBounces()
{
    auto store = store::ProjectStore::open(m_project, u"test-read"_s, false);
    QVERIFY(store);
    qint64 dated = 0;
    QVERIFY(store->forEachMessage([&dated](const store::StoredMessage& m) {
        dated += m.report.kind == bounce::MessageKind::Bounce && m.report.date.isValid();
        return true;
    }));
    qint64 counted = 0;
    for (const report::VolumeDay& d : std::as_const(m_data.volume)) {
        counted += d.legitimate + d.inbound + d.uncertain;
        if (!m_data.hasBackscatterVerdicts) {
            // No verdicts: nothing may be reported as backscatter.
            QCOMPARE(d.inbound, 0);
            QCOMPARE(d.outbound, 0);
        }
    }
    QVERIFY(dated > 0);
    QCOMPARE(counted, dated);
}

void TstDashboardData::emptyProject()
{
    auto store = store::ProjectStore::open(m_dir.filePath(u"empty.bip"_s), u"test-empty"_s);
    QVERIFY(store);
    auto data = report::DashboardDataBuilder::load(*store);
    QVERIFY(data);
    QCOMPARE(data->fates, 0);
    QVERIFY(data->providers.isEmpty());
    QVERIFY(data->volume.isEmpty());
    QCOMPARE(data->timeToBounce.size(), 11);
}

void TstDashboardData::farDatedBounceIsNotDrawn()
{
    // The scenario's mailbox and a bounce whose clock said 1999: the volume chart stays on the
    // scenario's days and says that one bounce is not drawn.
    const QString odd = m_dir.filePath(u"odd.mbox"_s);
    {
        QFile f(odd);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("From MAILER-DAEMON Tue Jan  5 09:14:03 1999\n"
                "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
                "To: <news@example.com>\n"
                "Date: Tue, 5 Jan 1999 09:14:03 +0100\n"
                "Subject: Undelivered Mail Returned to Sender\n"
                "MIME-Version: 1.0\n"
                "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"
                "--b1\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
                "--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
                "Final-Recipient: rfc822; nobody@example.org\nAction: failed\nStatus: 5.1.1\n"
                "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n--b1--\n");
    }
    auto store = store::ProjectStore::open(m_dir.filePath(u"odd.bip"_s), u"test-odd"_s);
    QVERIFY(store);
    import::ImportJob job(*store);
    auto summary = job.run({m_dir.filePath(u"scenario/mailbox-postfix.mbox"_s), odd});
    QVERIFY2(summary && summary->errors.isEmpty(), "import failed");
    auto data = report::DashboardDataBuilder::load(*store);
    QVERIFY(data);
    QVERIFY(!data->volume.isEmpty());
    QCOMPARE(data->volumeUnit, report::PeriodUnit::Day);
    QVERIFY(data->volume.constFirst().day.year() >= 2000);
    QCOMPARE(data->volumeLeftOut, 1);
    qint64 drawn = 0;
    for (const report::VolumeDay& d : std::as_const(data->volume))
        drawn += d.legitimate + d.inbound + d.outbound + d.uncertain;
    qint64 dated = 0;
    QVERIFY(store->forEachMessage([&dated](const store::StoredMessage& m) {
        dated += m.report.kind == bounce::MessageKind::Bounce && m.report.date.isValid();
        return true;
    }));
    QCOMPARE(drawn + data->volumeLeftOut, dated);
}

QTEST_GUILESS_MAIN(TstDashboardData)
#include "tst_dashboard_data.moc"
