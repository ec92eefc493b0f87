// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QStringList>

#include "core/store/fate_record.h"
#include "core/fate/own_identity.h"
#include "core/store/project_store.h"

namespace bi::core::fate {

using store::Fate;
using store::FateRecord;
using store::TimelineStep;

/// What a bounce alone tells about the failure mode, from who wrote it: our smarthost
/// reporting a 5xx it was given during the SMTP dialogue (rejected) or giving up after
/// retrying (expired), or the receiving side bouncing after it had accepted (async bounce).
struct MailboxVerdict {
    Fate fate = Fate::AsyncBounce;
    bool writtenByUs = false;
    double confidence = 0.5;
    QStringList evidence;
};

/// Who wrote a notice, as far as the notice itself tells.
struct NoticeWriter {
    QString host; ///< MailboxVerdictRule::writerHost()
    /// How the quoted original reached the writer when that shows the writer is our sending
    /// side ("ESMTPSA": an authenticated submission; "local": written on the writer's own host;
    /// "message-id": the writer's system made the Message-ID), else empty. A hosted smarthost or webmail
    /// outside our domains is told so.
    QString submission;
    /// The quoted original's chain shows another organisation having it before the writer:
    /// the writer received it from elsewhere (a receiving or forwarding system).
    bool foreignFirst = false;
    /// The chain shows the message leaving a Microsoft 365 tenant through its outbound edge
    /// and entering the writer's: the writer is the receiving tenant, even where Microsoft's
    /// host names are our own (a sender on outlook.com).
    bool crossedIn = false;
};

/// Writers that other notices showed to be our sending side (a hosted smarthost or an ISP's
/// submission server, by their quoted originals' Received chains), so that their notices that
/// quote nothing are read as ours too, when they read like a sending MTA's report (an SMTP
/// dialogue quoted, a queue timeout). A writer counts once at least kMinNotices of its notices
/// showed it; a notice with a chain that says otherwise is not changed.
/// Thread: one thread at a time.
class WriterLearning final {
public:
    static constexpr int kMinNotices = 2;
    void see(const NoticeWriter& writer);
    /// writer with submission "learned" when its host is one seen as ours and the notice
    /// itself tells nothing either way.
    [[nodiscard]] NoticeWriter apply(NoticeWriter writer) const;

private:
    QHash<QString, int> m_votes;
};

/// Thread: any; pure.
class MailboxVerdictRule final {
public:
    [[nodiscard]] static MailboxVerdict decide(const store::BounceRow& row, const OwnIdentity& own);
    /// The same for the report's recipient r, with its writer already worked out.
    [[nodiscard]] static MailboxVerdict decide(const bounce::BounceRecipient& r, const NoticeWriter& writer,
                                               const OwnIdentity& own);
    /// The host that wrote the notice: Reporting-MTA, else the host part of its From address.
    [[nodiscard]] static QString writerHost(const bounce::BounceReport& report);
    /// The writer and, from the quoted original's Received chain, whether it took the message
    /// as a submission from the sender's side: the oldest stamp that is not the sender's own
    /// machines' is the writer's (or its provider's), received with an owner's protocol
    /// (ESMTPSA, ESMTPA, esmtpsa, mapi, HTTP) or from no one (a local submission); or the
    /// original's Message-ID was made by the writer's provider (a webmail or ESP, which makes
    /// it on submission). A receiving system never takes a foreign sender's mail that way; a
    /// stamp of another organisation below the writer's means the message had been delivered
    /// elsewhere first.
    [[nodiscard]] static NoticeWriter noticeWriter(const bounce::BounceReport& report);
    /// The provider a host belongs to: its organisation, with one provider's aliases made one
    /// (googlemail.com and gmail.com are google.com; office365.com is outlook.com).
    [[nodiscard]] static QString providerOf(const QString& host);
    /// True when the notice says the queue lifetime ran out (4.4.7, "retry timeout exceeded",
    /// "in the queue too long", a failed action with a 4.x.x status, ...).
    [[nodiscard]] static bool saysExpired(const bounce::BounceRecipient& r);
};

} // namespace bi::core::fate
