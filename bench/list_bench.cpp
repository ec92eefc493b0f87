// SPDX-License-Identifier: GPL-3.0-or-later
// The recipient list on a big project (issue 6): time to open, to apply a filter and to sort,
// measured through the list model exactly as the window uses it (worker thread, own connection).
// Usage: list_bench [--rows N] [PROJECT]   (builds PROJECT with N synthetic fates when missing)
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

#include "core/store/project_store.h"
#include "core/store/synthetic_fates.h"
#include "ui/recipient_list_model.h"

using namespace Qt::StringLiterals;
using bi::ui::RecipientListModel;

namespace {

void print(const QString& line)
{
    std::fputs(qPrintable(line + u"\n"_s), stdout);
    std::fflush(stdout);
}

// Milliseconds until the first page of the last timed() query was shown, when it was shown
// before the count (a full first page); negative when the whole answer came at once.
double g_firstPageMs = -1;

// Runs `change` and waits for the model's next load; returns the milliseconds in between.
double timed(RecipientListModel& model, const std::function<void()>& change)
{
    QEventLoop loop;
    g_firstPageMs = -1;
    QElapsedTimer shown;
    const auto first = QObject::connect(&model, &RecipientListModel::firstPageShown, &loop,
                                        [&shown](qint64) { g_firstPageMs = double(shown.nsecsElapsed()) / 1e6; });
    shown.start();
    const auto done = QObject::connect(&model, &RecipientListModel::loaded, &loop, &QEventLoop::quit);
    const auto failed = QObject::connect(&model, &RecipientListModel::failed, &loop, [&loop](const QString& m) {
        print(u"failed: "_s + m);
        loop.quit();
    });
    QElapsedTimer clock;
    clock.start();
    change();
    loop.exec();
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    QObject::disconnect(done);
    QObject::disconnect(failed);
    QObject::disconnect(first);
    return ms;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption rows(u"rows"_s, u"Fates to generate when the project is missing."_s, u"N"_s, u"1000000"_s);
    parser.addOption(rows);
    parser.addPositionalArgument(u"PROJECT"_s, u"Project file (default list_bench.bip)."_s);
    parser.process(app);
    const QString path = parser.positionalArguments().value(0, u"list_bench.bip"_s);

    if (!QFileInfo::exists(path)) {
        QElapsedTimer build;
        build.start();
        auto store = bi::core::store::ProjectStore::open(path, u"bench-build"_s);
        if (!store) {
            print(store.error().toString());
            return 1;
        }
        if (auto ok = bi::core::store::addSyntheticFates(*store, parser.value(rows).toLongLong()); !ok) {
            print(ok.error().toString());
            return 1;
        }
        print(u"built %1 with %2 fates in %3 s"_s.arg(path, parser.value(rows)).arg(double(build.elapsed()) / 1000, 0, 'f', 1));
    }

    RecipientListModel model;
    const double open = timed(model, [&] { model.setProjectPath(path); });
    print(u"open (count + first page): %1 ms, %2 rows"_s.arg(open, 0, 'f', 1).arg(model.rowCount()));
    const double again = timed(model, [&] { model.refresh(); });
    print(u"refresh (warm): %1 ms"_s.arg(again, 0, 'f', 1));

    struct Case {
        QString name;
        bi::core::store::RecipientFilter filter;
    };
    QList<Case> cases;
    bi::core::store::RecipientFilter f;
    f.fates = {u"rejected"_s};
    cases.append({u"fate=rejected"_s, f});
    f = {};
    f.domains = {u"gmail.com"_s};
    cases.append({u"domain=gmail.com"_s, f});
    f = {};
    f.reasons = {u"mailboxfull"_s};
    cases.append({u"reason=mailboxfull"_s, f});
    f = {};
    f.fates = {u"async_bounce"_s};
    f.domains = {u"yahoo.com"_s};
    cases.append({u"fate=async_bounce+domain=yahoo.com"_s, f});
    f = {};
    f.statusClass = u"4"_s;
    cases.append({u"status=4.x.x"_s, f});
    f = {};
    f.verdicts = {u"backscatter"_s};
    cases.append({u"verdict=backscatter"_s, f});
    f = {};
    f.text = u"user4242"_s;
    cases.append({u"text=user4242"_s, f});
    f = {};
    f.text = u"gmail"_s; // a quarter of the rows: read, not looked up in the trigram index
    cases.append({u"text=gmail"_s, f});
    f = {};
    f.fromMs = QDateTime(QDate(2024, 3, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    f.toMs = QDateTime(QDate(2024, 3, 2), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    cases.append({u"day=2024-03-01"_s, f});
    for (const Case& c : cases) {
        const double ms = timed(model, [&] { model.setFilter(c.filter); });
        print(u"filter %1: %2 ms, %3 rows (first page shown after %4 ms)"_s.arg(c.name)
                  .arg(ms, 0, 'f', 1)
                  .arg(model.rowCount())
                  .arg(g_firstPageMs, 0, 'f', 1));
    }
    timed(model, [&] { model.setFilter({}); });
    for (int column = 0; column < int(RecipientListModel::Column::Count); ++column) {
        const QString name = model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        // Descending first: the list opens in ascending time order, and a sort that changes
        // nothing loads nothing.
        const double desc = timed(model, [&] { model.sort(column, Qt::DescendingOrder); });
        const double asc = timed(model, [&] { model.sort(column, Qt::AscendingOrder); });
        print(u"sort %1: %2 ms asc, %3 ms desc"_s.arg(name).arg(asc, 0, 'f', 1).arg(desc, 0, 'f', 1));
    }
    // Back to the list's own order (time), then a jump to the middle of the list: the page at
    // offset rows/2 (OFFSET paging).
    timed(model, [&] { model.sort(int(RecipientListModel::Column::Time), Qt::DescendingOrder); });
    timed(model, [&] { model.sort(int(RecipientListModel::Column::Time), Qt::AscendingOrder); });
    QEventLoop loop;
    QObject::connect(&model, &QAbstractItemModel::dataChanged, &loop, &QEventLoop::quit);
    QElapsedTimer clock;
    clock.start();
    (void)model.index(model.rowCount() / 2, 1).data();
    loop.exec();
    print(u"scroll to the middle (page fetch): %1 ms"_s.arg(double(clock.nsecsElapsed()) / 1e6, 0, 'f', 1));
    return 0;
}
