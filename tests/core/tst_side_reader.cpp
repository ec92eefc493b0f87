// SPDX-License-Identifier: GPL-3.0-or-later
// SideReader: work runs in another thread on a connection of its own, sees what was committed,
// and reads while the owner holds a write transaction, all of its work in one snapshot; no
// second connection for ":memory:".
#include <atomic>
#include <optional>
#include <thread>

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "core/store/project_store.h"
#include "core/store/side_reader.h"

using namespace Qt::StringLiterals;
using bi::core::store::ProjectStore;
using bi::core::store::SideReader;

namespace {

// The "probe" setting as the given connection reads it.
QString probe(const ProjectStore& store)
{
    auto value = store.setting(u"probe"_s);
    return value && value->has_value() ? **value : u"(error)"_s;
}

// A new project in dir with the "probe" setting committed as value.
std::optional<ProjectStore> projectWithProbe(const QTemporaryDir& dir, const QString& value)
{
    auto store = ProjectStore::open(dir.filePath(u"p.bip"_s), u"test-owner"_s);
    if (!store || !store->setSetting(u"probe"_s, value))
        return std::nullopt;
    return std::move(*store);
}

} // namespace

class TstSideReader final : public QObject {
    Q_OBJECT
private slots:
    void readsBesideAWriter();
    void readsOneSnapshot();
    void noSecondConnectionInMemory();
    void anExceptionEndsTheWork();
};

void TstSideReader::readsBesideAWriter()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = projectWithProbe(dir, u"committed"_s);
    QVERIFY(store);
    // Opened before the owner writes (opening probes for the write lock); then the owner
    // writes, uncommitted, and the side reads the committed value meanwhile.
    std::atomic<bool> ownerWrote = false;
    QString seen;
    std::thread::id where;
    SideReader side;
    QVERIFY(side.start(store->path(), u"test-side"_s, [&](const ProjectStore& s) {
        while (!ownerWrote.load())
            std::this_thread::yield();
        where = std::this_thread::get_id();
        seen = probe(s);
    }));
    QVERIFY(store->begin());
    QVERIFY(store->setSetting(u"probe"_s, u"pending"_s));
    ownerWrote = true;
    side.join();
    QVERIFY(!side.threw());
    QVERIFY(where != std::this_thread::get_id());
    QCOMPARE(seen, u"committed"_s);
    QVERIFY(store->commit());
}

void TstSideReader::readsOneSnapshot()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = projectWithProbe(dir, u"first"_s);
    QVERIFY(store);
    // The side reads, the owner commits a change, the side reads again: still what was
    // committed when its work began, the same in every statement of the pass.
    std::atomic<int> step = 0;
    QStringList seen;
    SideReader side;
    QVERIFY(side.start(store->path(), u"test-side"_s, [&](const ProjectStore& s) {
        seen << probe(s);
        step = 1;
        while (step.load() != 2)
            std::this_thread::yield();
        seen << probe(s);
    }));
    while (step.load() != 1)
        std::this_thread::yield();
    QVERIFY(store->setSetting(u"probe"_s, u"second"_s)); // committed (no open transaction)
    step = 2;
    side.join();
    QVERIFY(!side.threw());
    QCOMPARE(seen, (QStringList{u"first"_s, u"first"_s}));
    // A new pass sees the change.
    QVERIFY(side.start(store->path(), u"test-side"_s, [&](const ProjectStore& s) { seen = {probe(s)}; }));
    side.join();
    QCOMPARE(seen, QStringList{u"second"_s});
}

void TstSideReader::noSecondConnectionInMemory()
{
    auto store = ProjectStore::open(u":memory:"_s, u"test-memory"_s);
    QVERIFY(store);
    bool ran = false;
    SideReader side;
    QVERIFY(!side.start(store->path(), u"test-side"_s, [&](const ProjectStore&) { ran = true; }));
    side.join();
    QVERIFY(!ran);
    // Nor for a project that cannot be opened again.
    QVERIFY(!side.start(u"/nonexistent/dir/p.bip"_s, u"test-side"_s, [&](const ProjectStore&) { ran = true; }));
    QVERIFY(!ran);
}

void TstSideReader::anExceptionEndsTheWork()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = ProjectStore::open(dir.filePath(u"e.bip"_s), u"test-owner2"_s);
    QVERIFY(store);
    SideReader side;
    QVERIFY(side.start(store->path(), u"test-side"_s, [](const ProjectStore&) { throw std::runtime_error("boom"); }));
    side.join();
    QVERIFY(side.threw());
}

QTEST_GUILESS_MAIN(TstSideReader)
#include "tst_side_reader.moc"
