// SPDX-License-Identifier: GPL-3.0-or-later
// lowerCase(): QString::toLower()'s result, with the ASCII loop and the Unicode path alike.
#include <QTest>

#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

class TstTextCase final : public QObject {
    Q_OBJECT
private slots:
    void sameAsQt_data();
    void sameAsQt();
};

void TstTextCase::sameAsQt_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("ascii") << u"550 5.1.1 <User@Example.NET>: Recipient address REJECTED [@Z]`{"_s;
    QTest::newRow("latin-1 late") << (u"Mailbox FULL: "_s + QChar(0xC4) + u"RGER"_s);
    QTest::newRow("dotted capital I changes length") << (u"ISTANBUL "_s + QChar(0x130) + u"ZMIR"_s);
    QTest::newRow("kelvin sign") << (QChar(0x212A) + u"ELVIN"_s);
    QTest::newRow("japanese") << u"宛先不明 USER UNKNOWN"_s;
}

void TstTextCase::sameAsQt()
{
    QFETCH(QString, text);
    QCOMPARE(bi::core::lowerCase(text), text.toLower());
}

QTEST_GUILESS_MAIN(TstTextCase)
#include "tst_text_case.moc"
