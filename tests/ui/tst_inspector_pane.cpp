// SPDX-License-Identifier: GPL-3.0-or-later
// The inspector pane on a project imported from a generated scenario: timeline order, raw
// bytes with the header set apart, MIME tree, log lines, stale results, escaping.
#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTabBar>
#include <QTest>

#include "core/import/import_job.h"
#include "core/inspect/inspect_detail.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"
#include "scenario_fixture.h"
#include "ui/inspector_pane.h"
#include "ui/item_roles.h"
#include "ui/mime_tree_model.h"
#include "ui/raw_pane.h"
#include "ui/step_style.h"
#include "ui/timeline_model.h"
#include "ui/timeline_view.h"

using namespace Qt::StringLiterals;
using namespace bi;
using Kind = core::store::TimelineStep::Kind;

class TstInspectorPane final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void durations_data();
    void durations();
    void fateShowsTimelineInOrder();
    void fateShowsRawBytes();
    void unmatchedBounce();
    void withoutMessageTheLogLinesShow();
    void modelsPassTester();
    void staleResultDropped();
    void clearEmpties();
    void timelineCompressesGaps();
    void untrustedTextEscaped();

private:
    bool waitShown(ui::InspectorPane& pane);

    QTemporaryDir m_dir;
    QString m_project;
    qint64 m_asyncFate = 0;   ///< deferred at least once, then accepted and bounced later
    qint64 m_otherFate = 0;
    qint64 m_deliveredFate = 0; ///< delivered: log lines, no bounce message
    core::store::FateRecord m_async;
    qint64 m_bounceMessage = 0;
};

void TstInspectorPane::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(u"p.bip"_s);
    const QString error = bi::test::importScenario(m_dir.path(), 6001, 120, m_project);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto store = core::store::ProjectStore::open(m_project, u"test"_s, false);
    QVERIFY(store);

    // Find fates by id (fates.id is what the recipient list hands over).
    core::store::FateRepository fates(*store);
    auto count = fates.count();
    QVERIFY(count && *count > 0);
    qint64 found = 0;
    for (qint64 id = 1; found < *count && id < *count + 100000; ++id) {
        auto f = fates.byId(id);
        if (!f)
            continue;
        ++found;
        if (!m_asyncFate && f->fate == core::store::Fate::AsyncBounce && f->deferrals > 0 && f->bounceMessageRow > 0
            && !f->queueId.isEmpty()) {
            // A bounce in MIME form (RFC 3464 with the original attached); some styles are plain text.
            auto detail = core::inspect::InspectLoader::loadFate(*store, id);
            QVERIFY(detail);
            if (detail->embeddedOriginal.isEmpty() || detail->mime.children.isEmpty())
                continue;
            m_asyncFate = id;
            m_async = *f;
        } else if (!m_otherFate && f->fate == core::store::Fate::Rejected) {
            m_otherFate = id;
        } else if (!m_deliveredFate && f->fate == core::store::Fate::Delivered && f->bounceMessageRow <= 0) {
            m_deliveredFate = id;
        }
    }
    QVERIFY2(m_asyncFate > 0, "the scenario should hold a deferred-then-bounced recipient");
    QVERIFY(m_otherFate > 0);
    QVERIFY(m_deliveredFate > 0);
    QVERIFY(store->forEachMessage([this](const core::store::StoredMessage& m) {
        if (m.report.kind == core::bounce::MessageKind::Bounce && m.id != m_async.bounceMessageRow)
            m_bounceMessage = m.id;
        return m_bounceMessage == 0;
    }));
    QVERIFY(m_bounceMessage > 0);
}

// BI_SCREENSHOT_DIR set: saves the widget there (docs/screenshots are made this way under Xvfb).
static void saveShot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("BI_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(widget->grab().save(dir + u'/' + name));
}

bool TstInspectorPane::waitShown(ui::InspectorPane& pane)
{
    QSignalSpy shown(&pane, &ui::InspectorPane::detailShown);
    QSignalSpy failed(&pane, &ui::InspectorPane::loadFailed);
    return shown.wait(10000) && failed.isEmpty();
}

void TstInspectorPane::durations_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("seconds") << qint64(42) << u"42 s"_s;
    QTest::newRow("minutes") << qint64(17 * 60 + 5) << u"17 min"_s;
    QTest::newRow("hours-minutes") << qint64(4 * 3600 + 12 * 60) << u"4 h 12 min"_s;
    QTest::newRow("whole-hours") << qint64(2 * 3600) << u"2 h"_s;
    QTest::newRow("days-hours") << qint64(3 * 86400 + 5 * 3600) << u"3 d 5 h"_s;
    QTest::newRow("weeks-days") << qint64(9 * 86400) << u"1 wk 2 d"_s;
}

void TstInspectorPane::durations()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(ui::StepStyle::duration(seconds), text);
}

void TstInspectorPane::fateShowsTimelineInOrder()
{
    ui::InspectorPane pane;
    pane.resize(1200, 900);
    pane.show();
    pane.setProjectPath(m_project);
    pane.showFate(m_asyncFate);
    QVERIFY(waitShown(pane));
    QVERIFY(pane.titleText().contains(m_async.recipient));

    const ui::TimelineModel* model = pane.detailModel();
    QCOMPARE(model->rowCount(), m_async.steps.size());
    QList<Kind> kinds;
    qint64 lastTime = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const qint64 t = model->index(row, ui::TimelineModel::Time).data(ui::RawValueRole).toLongLong();
        QVERIFY2(t >= lastTime, "steps must be in time order");
        lastTime = t;
        kinds << Kind(model->index(row, ui::TimelineModel::Event).data(ui::RawValueRole).toInt());
    }
    QCOMPARE(kinds.first(), Kind::Queued);
    QVERIFY(kinds.contains(Kind::Deferred));
    QVERIFY(kinds.indexOf(Kind::Deferred) < kinds.indexOf(Kind::Sent));
    QVERIFY(kinds.indexOf(Kind::Sent) < kinds.indexOf(Kind::AsyncBounce));
    QCOMPARE(model->index(0, ui::TimelineModel::Event).data().toString(), u"Queued"_s);
    // Each step says where it was read: the log file and line, or the mailbox and message.
    const QRegularExpression logLine(u"^postfix\\.log:\\d+$"_s), mailboxMessage(u"^mailbox-postfix\\.mbox #\\d+$"_s);
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString source = model->index(row, ui::TimelineModel::Source).data().toString();
        const bool fromMailbox = kinds.at(row) == Kind::AsyncBounce;
        QVERIFY2((fromMailbox ? mailboxMessage : logLine).match(source).hasMatch(),
                 qPrintable(u"%1: %2"_s.arg(model->index(row, ui::TimelineModel::Event).data().toString(), source)));
    }
    QVERIFY(model->index(1, ui::TimelineModel::SincePrevious).data().toString().contains(QRegularExpression(u"\\d"_s)));

    // The painted timeline draws the same steps in the same order, with spans between them.
    const ui::TimelineView* view = pane.timelineView();
    QCOMPARE(view->drawnSteps().size(), m_async.steps.size());
    for (qsizetype i = 0; i < view->drawnSteps().size(); ++i)
        QCOMPARE(view->drawnSteps().at(i).kind, kinds.at(i));
    QCOMPARE(view->gapLabels().size(), kinds.size() - 1);
    for (int i = 1; i < view->drawnSteps().size(); ++i)
        QVERIFY(view->markerCenter(i).x() > view->markerCenter(i - 1).x());
    QCOMPARE(view->markerAt(view->markerCenter(0)), 0);

    saveShot(pane.timelineView()->parentWidget(), u"timeline.png"_s);
    saveShot(pane.rawPane(), u"raw-pane.png"_s);
}

void TstInspectorPane::fateShowsRawBytes()
{
    ui::InspectorPane pane;
    pane.setProjectPath(m_project);
    pane.showFate(m_asyncFate);
    QVERIFY(waitShown(pane));
    const ui::RawPane* raw = pane.rawPane();

    auto store = core::store::ProjectStore::open(m_project, u"test-read"_s, false);
    QVERIFY(store);
    auto bytes = store->rawMessage(m_async.bounceMessageRow);
    QVERIFY(bytes);
    QByteArray header, body;
    core::inspect::InspectLoader::splitHeader(*bytes, &header, &body);
    QVERIFY(!header.isEmpty());
    QCOMPARE(raw->headerText(), ui::RawPane::bytesToText(header));
    QCOMPARE(raw->bodyText(), ui::RawPane::bytesToText(body));
    QVERIFY(!raw->headerText().contains(u"\n\n"_s)); // the header section stops at the empty line

    // MIME tree over the same message, decoded text, the quoted original, the log lines.
    QCOMPARE(raw->mimeModel()->rowCount(), 1);
    QVERIFY(raw->mimeModel()->index(0, 0).data().toString().startsWith(u"1  "_s));
    QVERIFY(!raw->textPartsText().isEmpty());
    QVERIFY2(raw->originalText().contains(m_async.messageId), "the original message quotes our Message-ID");
    QVERIFY(!raw->logText().isEmpty());
    QStringList lines = raw->logText().split(u'\n', Qt::SkipEmptyParts);
    for (const QString& line : lines)
        QVERIFY2(line.contains(m_async.queueId), qPrintable(line));
    QCOMPARE(lines.removeDuplicates(), 0);
}

void TstInspectorPane::unmatchedBounce()
{
    ui::InspectorPane pane;
    pane.setProjectPath(m_project);
    pane.showBounce(m_bounceMessage);
    QVERIFY(waitShown(pane));
    QCOMPARE(pane.detailModel()->rowCount(), 1);
    QCOMPARE(Kind(pane.detailModel()->index(0, ui::TimelineModel::Event).data(ui::RawValueRole).toInt()),
             Kind::NoticeReceived);
    QVERIFY(!pane.rawPane()->headerText().isEmpty());
    QVERIFY(pane.rawPane()->logText().isEmpty());
}

void TstInspectorPane::withoutMessageTheLogLinesShow()
{
    ui::InspectorPane pane;
    pane.setProjectPath(m_project);
    ui::RawPane* raw = pane.rawPane();
    QCOMPARE(raw->currentIndex(), int(ui::RawPane::MessageTab));
    pane.showFate(m_deliveredFate);
    QVERIFY(waitShown(pane));
    QVERIFY(!raw->logText().isEmpty());
    QCOMPARE(raw->currentIndex(), int(ui::RawPane::LogTab));
    // The next recipient has its bounce: back to the message.
    pane.showFate(m_asyncFate);
    QVERIFY(waitShown(pane));
    QCOMPARE(raw->currentIndex(), int(ui::RawPane::MessageTab));
    // Log lines the user chose stay, also for a recipient with a message.
    pane.showFate(m_deliveredFate);
    QVERIFY(waitShown(pane));
    QCOMPARE(raw->currentIndex(), int(ui::RawPane::LogTab));
    const QTabBar* tabs = raw->tabBar();
    QTest::mouseClick(const_cast<QTabBar*>(tabs), Qt::LeftButton, {}, tabs->tabRect(ui::RawPane::LogTab).center());
    pane.showFate(m_asyncFate);
    QVERIFY(waitShown(pane));
    QCOMPARE(raw->currentIndex(), int(ui::RawPane::LogTab));
}

void TstInspectorPane::modelsPassTester()
{
    ui::InspectorPane pane;
    QAbstractItemModelTester detailTester(pane.detailModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester mimeTester(pane.rawPane()->mimeModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    pane.setProjectPath(m_project);
    pane.showFate(m_asyncFate);
    QVERIFY(waitShown(pane));
    QVERIFY(pane.rawPane()->mimeModel()->rowCount(pane.rawPane()->mimeModel()->index(0, 0)) > 0);
    pane.showBounce(m_bounceMessage);
    QVERIFY(waitShown(pane));
    pane.clear();
    QCOMPARE(pane.detailModel()->rowCount(), 0);
    QCOMPARE(pane.rawPane()->mimeModel()->rowCount(), 0);
    pane.showFate(m_otherFate);
    QVERIFY(waitShown(pane));
    QVERIFY(pane.detailModel()->rowCount() > 0);
}

void TstInspectorPane::staleResultDropped()
{
    ui::InspectorPane pane;
    pane.setProjectPath(m_project);
    QSignalSpy shown(&pane, &ui::InspectorPane::detailShown);
    pane.showFate(m_otherFate);
    pane.showFate(m_asyncFate);
    QVERIFY(shown.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 300); // the first request never shows
    QCOMPARE(shown.first().at(0).toLongLong(), m_asyncFate);
    QVERIFY(pane.titleText().contains(m_async.recipient));
}

void TstInspectorPane::clearEmpties()
{
    ui::InspectorPane pane;
    pane.setProjectPath(m_project);
    QSignalSpy shown(&pane, &ui::InspectorPane::detailShown);
    pane.showFate(m_asyncFate);
    pane.clear(); // before the worker finishes: its result must not appear
    QTest::qWait(500);
    QCOMPARE(shown.size(), 0);
    QCOMPARE(pane.detailModel()->rowCount(), 0);
    QVERIFY(pane.rawPane()->headerText().isEmpty());
    QVERIFY(pane.timelineView()->drawnSteps().isEmpty());
}

void TstInspectorPane::timelineCompressesGaps()
{
    ui::TimelineView view;
    view.resize(1000, 130);
    const QDateTime t0(QDate(2025, 12, 29), QTime(8, 0), Qt::UTC);
    core::store::TimelineStep a{Kind::Queued, t0, {}, {}, {}, {}, 0, 0};
    core::store::TimelineStep b{Kind::Deferred, t0.addSecs(60), u"4.2.0"_s, u"451"_s, u"try later"_s, {}, 0, 0};
    core::store::TimelineStep c{Kind::Expired, t0.addDays(7), {}, {}, {}, {}, 0, 0};
    view.setSteps({c, a, b}); // any order in, time order out
    QCOMPARE(view.drawnSteps().first().kind, Kind::Queued);
    QCOMPARE(view.gapLabels(), (QStringList{u"1 min"_s, u"6 d 23 h"_s}));
    const qreal first = view.markerCenter(1).x() - view.markerCenter(0).x();
    const qreal second = view.markerCenter(2).x() - view.markerCenter(1).x();
    QVERIFY(first > 20);           // a minute stays visible
    QVERIFY(second / first < 20);  // a week is not 10,000 minutes wide
    QVERIFY(second > first);
}

void TstInspectorPane::untrustedTextEscaped()
{
    core::store::TimelineStep s{Kind::Bounced, QDateTime::currentDateTimeUtc(), u"5.7.1"_s, u"550"_s,
                                u"<b>rejected</b> <img src=\"http://example.com/x\">"_s, {}, 0, 0};
    const QString tip = ui::StepStyle::toolTip(s);
    QVERIFY(tip.contains(u"550 5.7.1"_s));
    QVERIFY(tip.contains(u"&lt;b&gt;rejected&lt;/b&gt;"_s));
    QVERIFY(!tip.contains(u"<img"_s));
    ui::TimelineModel model;
    model.setSteps({s});
    QCOMPARE(model.index(0, ui::TimelineModel::Text).data().toString(), s.text);
    QCOMPARE(model.index(0, ui::TimelineModel::Text).data(Qt::ToolTipRole).toString(), tip);
}

QTEST_MAIN(TstInspectorPane)
#include "tst_inspector_pane.moc"
