// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace bi::scenario {

/// Backscatter traffic for a scenario (issue 5): bounces of forged-sender spam for the
/// mailbox, and spam the smarthosts accept and bounce to its forged sender for the logs.
/// Rendered with its own random stream so the rest of the scenario stays byte-identical.
struct BackscatterTraffic {
    struct Mail {
        QDateTime at;        ///< UTC
        QString envelope;    ///< mbox "From " line
        QString text;
    };
    struct Line {
        QDateTime at;        ///< UTC
        QString text;
    };
    QList<Mail> mailbox;          ///< add to both mailboxes
    QList<Line> postfix;          ///< add to postfix.log
    QList<Line> exim;             ///< add to exim.log
    QByteArray backscatterJsonl;  ///< one line per inbound backscatter bounce
    QByteArray outboundJsonl;     ///< one line per outbound notice

    /// inbound bounces and outbound notices between start and end (UTC); our domain and
    /// senders as the main scenario uses them.
    static BackscatterTraffic generate(quint64 seed, int inbound, int outbound, const QDateTime& start,
                                       const QDateTime& end);
};

} // namespace bi::scenario
