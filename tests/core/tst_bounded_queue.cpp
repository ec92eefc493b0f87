// SPDX-License-Identifier: GPL-3.0-or-later
// BoundedQueue: order kept, depth bounded, close drains, abort releases both sides.
#include <atomic>
#include <thread>

#include <QTest>

#include "core/common/bounded_queue.h"

using bi::core::BoundedQueue;

class TstBoundedQueue final : public QObject {
    Q_OBJECT
private slots:
    void keepsOrderAcrossThreads();
    void neverHoldsMoreThanItsDepth();
    void closeDrainsThenEnds();
    void abortReleasesABlockedProducer();
    void abortReleasesABlockedConsumer();
};

void TstBoundedQueue::keepsOrderAcrossThreads()
{
    BoundedQueue<int> queue(4);
    std::thread producer([&] {
        for (int i = 0; i < 10000; ++i)
            if (!queue.push(int(i)))
                return;
        queue.close();
    });
    int expected = 0;
    int item = -1;
    while (queue.pop(item))
        QCOMPARE(item, expected++);
    producer.join();
    QCOMPARE(expected, 10000);
}

void TstBoundedQueue::neverHoldsMoreThanItsDepth()
{
    BoundedQueue<int> queue(3);
    std::atomic<int> pushed = 0;
    std::thread producer([&] {
        for (int i = 0; i < 5; ++i) {
            if (!queue.push(int(i)))
                return;
            ++pushed;
        }
    });
    // The producer stops at the depth until an item is taken.
    QTRY_COMPARE(pushed.load(), 3);
    QTest::qWait(50);
    QCOMPARE(pushed.load(), 3);
    int item = -1;
    QVERIFY(queue.pop(item));
    QCOMPARE(item, 0);
    QTRY_COMPARE(pushed.load(), 4);
    queue.abort();
    producer.join();
    QCOMPARE(pushed.load(), 4);
}

void TstBoundedQueue::closeDrainsThenEnds()
{
    BoundedQueue<int> queue(8);
    QVERIFY(queue.push(1));
    QVERIFY(queue.push(2));
    queue.close();
    int item = 0;
    QVERIFY(queue.pop(item));
    QCOMPARE(item, 1);
    QVERIFY(queue.pop(item));
    QCOMPARE(item, 2);
    QVERIFY(!queue.pop(item));
}

void TstBoundedQueue::abortReleasesABlockedProducer()
{
    BoundedQueue<int> queue(1);
    QVERIFY(queue.push(1));
    std::atomic<int> result = -1;
    std::thread producer([&] { result = queue.push(2) ? 1 : 0; });
    QTest::qWait(50);
    QCOMPARE(result.load(), -1); // still waiting for room
    queue.abort();
    producer.join();
    QCOMPARE(result.load(), 0);
    QVERIFY(queue.isAborted());
    int item = 0;
    QVERIFY(!queue.pop(item)); // what waited is dropped
}

void TstBoundedQueue::abortReleasesABlockedConsumer()
{
    BoundedQueue<int> queue(2);
    std::atomic<int> result = -1;
    std::thread consumer([&] {
        int item = 0;
        result = queue.pop(item) ? 1 : 0;
    });
    QTest::qWait(50);
    QCOMPARE(result.load(), -1);
    queue.abort();
    consumer.join();
    QCOMPARE(result.load(), 0);
    QVERIFY(!queue.push(3));
}

QTEST_GUILESS_MAIN(TstBoundedQueue)
#include "tst_bounded_queue.moc"
