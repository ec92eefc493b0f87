// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include "core/fate/own_identity.h"

namespace bi::core::store {
struct BounceRow;
}

namespace bi::core::backscatter {

/// What one mailbox bounce says that matters for telling our bounces from backscatter.
/// Built from the stored report (all recipients of the message). Thread: value type.
struct BounceFacts {
    qint64 messageId = 0;      ///< messages.id
    QDateTime date;            ///< the bounce's Date (UTC); invalid when unknown
    QString reportingMta;      ///< lower-case host
    QStringList bounceAddresses; ///< where the bounce went / the original's return path, as written (lower case)
    QString originalMessageId;
    QString originalFrom;      ///< address only
    QString originalSubject;
    QDateTime originalDate;    ///< UTC; invalid when unknown
    QStringList originalReceived; ///< top first
    /// The notice's writer when the notice shows it took the original from our side as a
    /// submission (a hosted smarthost, a webmail: fate::MailboxVerdictRule::noticeWriter), else
    /// empty: our relay, though not one of our hosts.
    QString submittedTo;
    QString queueId;
    QString envelopeId;
    QStringList failedRecipients;
    QStringList diagnostics;   ///< what the reporting system said, per recipient
    QStringList reasons;       ///< sisimai reasons

    [[nodiscard]] static BounceFacts from(const QList<store::BounceRow>& rowsOfOneMessage);
};

/// Reduces a Message-ID to the shape of the software that wrote it: the domain, and each
/// token of the local part as its character class and length ("20251229080000.1a2b3c4d@app.x"
/// → "h14.h8@app.x"). Message-IDs written by the same system share a shape.
[[nodiscard]] QString messageIdShape(const QString& messageId);

/// The hosts a Received field names as its receiving side ("by HOST") and the checked name of
/// its sending side, the name the receiver looked up: Postfix/Sendmail "from HELO (NAME [IP])",
/// Exim "from NAME ([IP]:port helo=HELO)", qmail "from NAME (HELO HELO) (IP)", Exchange
/// "from NAME (IP)". A name only the client claimed (unknown reverse DNS) is not taken.
[[nodiscard]] QStringList receivedHosts(const QString& received);

/// The first of our relays the quoted chain shows the message leaving, or empty. Walks the
/// Received fields from the top (written by the receiver, the only ones that can be trusted)
/// to the first hop between two organisations and looks at its sending side as the receiver
/// checked it (the reverse-DNS name, never the HELO); when the top receiver is one of our
/// relays it is the answer. Forged Received lines below that hop are not believed.
/// relayProviders, when given: a sending host of one of those providers counts as our relay
/// (a webmail's or ISP's outbound hosts, whose names vary: mail-sor-f41.google.com).
[[nodiscard]] QString ownRelayInChain(const QStringList& received, const fate::OwnIdentity& own,
                                      const QSet<QString>& relayProviders = {});

/// The queue/message ids a Received field records ("with ESMTPSA id 4ABC", "id 1tXyZa-000123-AB").
[[nodiscard]] QStringList receivedIds(const QString& received);

/// Everything the project knows about its own sending, against which bounces are judged:
/// learned from the logs and the mailbox, plus the settings. Thread: value type.
struct SendingProfile {
    fate::OwnIdentity own;
    QSet<QString> senders;          ///< envelope senders of logged sends, tags removed, lower case
    /// Distinct senders of logged sends when senders holds only those the bounces name (the
    /// analyzer keeps no more of a large log); 0: senders is complete.
    qsizetype sendersLogged = 0;
    QSet<QString> messageIds;       ///< Message-IDs of logged sends
    QSet<QString> queueIds;         ///< queue ids of logged sends (any host)
    QSet<QString> envelopeIds;      ///< ENVIDs and job ids of logged sends
    QHash<QString, QList<qint64>> recipientSends; ///< recipient → UTC ms of logged sends to it
    QSet<QString> shapes;           ///< Message-ID shapes our systems write
    /// Providers of the hosted relays our mail is submitted to (learned from notices that show
    /// the submission: googlemail.com → google.com): their outbound hosts are ours too.
    QSet<QString> relayProviders;
    QList<std::pair<qint64, qint64>> logSpans; ///< UTC ms covered by the logs, merged
    /// First labels of the hosts the imported logs are from (none when the logs name none):
    /// the logs speak for mail that left through these only.
    QSet<QString> loggedHosts;
    bool hasLogs = false;
    bool signsPrvs = false;         ///< our mail's return path carries BATV tags
    bool usesVerp = false;          ///< our mail's return path encodes the recipient
    QByteArray prvsSecret;
    QByteArray srsSecret;

    /// True when t lies inside the logged time (with a few minutes' slack at both ends).
    [[nodiscard]] bool covers(qint64 utcMs) const { return covers(utcMs, utcMs); }
    /// True when one logged span holds the whole of [from, to] (slack as above).
    [[nodiscard]] bool covers(qint64 fromMs, qint64 toMs) const;
    /// Adds a span and merges overlapping ones.
    void addLogSpan(qint64 fromMs, qint64 toMs);
};

/// A verdict with its score and readable evidence.
struct Verdict {
    QString verdict;       ///< "ours", "backscatter", "uncertain"
    double score = 0.5;    ///< P(backscatter)
    QStringList evidence;  ///< strongest first
    QString matchedBy;
    bool logCovered = false;
    QString bounceTo;      ///< the address the bounce names, tags removed
};

/// Weighs each kind of evidence (log match or certain absence, own relays in the quoted
/// Received chain, Message-ID shape, sender, BATV/SRS/VERP signatures, what the bounce says)
/// into a score. Deterministic; stateless. Thread: any.
class BackscatterClassifier final {
public:
    static constexpr double kBackscatterFrom = 0.7;
    static constexpr double kOursBelow = 0.3;
    [[nodiscard]] static Verdict classify(const BounceFacts& facts, const SendingProfile& profile);
};

} // namespace bi::core::backscatter
