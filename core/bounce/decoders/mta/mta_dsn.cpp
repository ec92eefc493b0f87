// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/mta_dsn.h"

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/field_group.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

enum class Field {
    None,
    // RFC 3464 §2.2 per-message fields
    ReportingMta,
    ReceivedFromMta,
    ArrivalDate,
    EnvelopeId,
    DsnGateway,
    PostfixQueueId,
    PostfixSender,
    // §2.3 per-recipient fields
    FinalRecipient,
    OriginalRecipient,
    ActualRecipient,
    Action,
    Status,
    RemoteMta,
    DiagnosticCode,
    LastAttemptDate,
    WillRetryUntil,
    FinalLogId,
};

struct FieldName {
    QStringView name;
    Field field;
};

constexpr FieldName kFields[] = {
    {u"Reporting-MTA", Field::ReportingMta},
    {u"Received-From-MTA", Field::ReceivedFromMta},
    {u"Arrival-Date", Field::ArrivalDate},
    {u"Original-Envelope-Id", Field::EnvelopeId},
    {u"DSN-Gateway", Field::DsnGateway},
    {u"X-Postfix-Queue-ID", Field::PostfixQueueId},
    {u"X-Postfix-Sender", Field::PostfixSender},
    {u"Final-Recipient", Field::FinalRecipient},
    {u"Original-Recipient", Field::OriginalRecipient},
    {u"X-Actual-Recipient", Field::ActualRecipient},
    {u"Action", Field::Action},
    {u"Status", Field::Status},
    {u"Remote-MTA", Field::RemoteMta},
    {u"Diagnostic-Code", Field::DiagnosticCode},
    {u"Last-Attempt-Date", Field::LastAttemptDate},
    {u"Will-Retry-Until", Field::WillRetryUntil},
    {u"Final-Log-ID", Field::FinalLogId},
};

Field fieldOf(QStringView line, QStringView* value)
{
    const qsizetype colon = line.indexOf(u':');
    if (colon <= 0 || colon > 24)
        return Field::None;
    const QStringView name = line.left(colon);
    for (const FieldName& f : kFields) {
        if (name.compare(f.name, Qt::CaseInsensitive) == 0) {
            if (value)
                *value = line.mid(colon + 1).trimmed();
            return f.field;
        }
    }
    return Field::None;
}

bool isPerMessage(Field f)
{
    return f >= Field::ReportingMta && f <= Field::PostfixSender;
}

} // namespace

QStringList MtaDsn::statusPartLines(const DecodeContext& ctx)
{
    for (QByteArrayView type : {QByteArrayView("message/delivery-status"), QByteArrayView("message/global-delivery-status")}) {
        if (const mail::MimePart* part = ctx.findPart(type)) {
            QString text = QString::fromUtf8(part->body);
            text.remove(u'\r');
            return MtaText::lines(text);
        }
    }
    return {};
}

const BounceRecipient* MtaDsn::pair(const QList<BounceRecipient>& groups, const QString& address, qsizetype index,
                                    qsizetype count)
{
    const QString wanted = Address::normalize(address);
    if (!wanted.isEmpty()) {
        for (const BounceRecipient& g : groups) {
            if (Address::normalize(g.recipient) == wanted || Address::normalize(g.originalRecipient) == wanted)
                return &g;
        }
    }
    if (groups.size() == count && index >= 0 && index < groups.size())
        return &groups.at(index);
    return nullptr;
}

bool MtaDsn::isFieldLine(QStringView line)
{
    return fieldOf(line, nullptr) != Field::None;
}

QList<BounceRecipient> MtaDsn::read(const QStringList& lines, BounceReport& report)
{
    QList<BounceRecipient> out;
    BounceRecipient current;
    bool open = false;      // `current` holds fields of a recipient
    bool hasFinal = false;  // ... and its Final-Recipient was seen
    bool afterBlank = true; // the previous line was empty
    Field last = Field::None;
    QString diagnosticField;

    auto flush = [&] {
        if (open) {
            if (!diagnosticField.isEmpty()) {
                current.diagnosticType = FieldGroupParser::typeOf(diagnosticField);
                current.diagnostic = current.diagnosticType.isEmpty() ? diagnosticField.trimmed()
                                                                      : FieldGroupParser::stripType(diagnosticField);
            }
            if (current.recipient.isEmpty())
                current.recipient = current.originalRecipient;
            if (!current.recipient.isEmpty())
                out.append(current);
        }
        current = BounceRecipient{};
        diagnosticField.clear();
        open = false;
        hasFinal = false;
    };

    for (const QString& raw : lines) {
        const QStringView line(raw);
        if (line.trimmed().isEmpty()) {
            afterBlank = true;
            last = Field::None;
            continue;
        }
        if ((line.front() == u' ' || line.front() == u'\t')) {
            // RFC 5322 §2.2.3 folding; only Diagnostic-Code is long enough to need it in practice.
            if (last == Field::DiagnosticCode)
                diagnosticField += u' ' + line.trimmed().toString();
            continue;
        }
        QStringView value;
        const Field f = fieldOf(line, &value);
        last = f;
        if (f == Field::None)
            continue;
        if (isPerMessage(f)) {
            auto take = [&](QString& into) {
                if (into.isEmpty())
                    into = value.toString();
            };
            switch (f) {
            case Field::ReportingMta: take(report.reportingMta); break;
            case Field::ReceivedFromMta: take(report.receivedFromMta); break;
            case Field::ArrivalDate: take(report.arrivalDate); break;
            case Field::EnvelopeId: take(report.envelopeId); break;
            case Field::PostfixQueueId: take(report.queueId); break;
            case Field::PostfixSender: take(report.postfixSender); break;
            default: break;
            }
            continue;
        }
        // A blank line ends a recipient's group (§2.1); a second Final-Recipient without one
        // in between starts the next recipient too (seen in hand-edited and broken DSNs).
        if (open && (afterBlank || (f == Field::FinalRecipient && hasFinal)))
            flush();
        afterBlank = false;
        open = true;
        const QString v = value.toString();
        switch (f) {
        case Field::FinalRecipient:
            current.recipient = FieldGroupParser::stripType(v);
            hasFinal = true;
            break;
        case Field::OriginalRecipient: current.originalRecipient = FieldGroupParser::stripType(v); break;
        case Field::ActualRecipient:
            if (current.originalRecipient.isEmpty())
                current.originalRecipient = FieldGroupParser::stripType(v);
            break;
        case Field::Action: current.action = v.section(u' ', 0, 0).toLower(); break;
        case Field::Status: current.status = v; break;
        case Field::RemoteMta: current.remoteMta = FieldGroupParser::mtaName(v); break;
        case Field::DiagnosticCode: diagnosticField = v; break;
        case Field::LastAttemptDate: current.lastAttempt = v; break;
        case Field::WillRetryUntil: current.willRetryUntil = v; break;
        default: break;
        }
    }
    flush();
    report.reportingMta = FieldGroupParser::mtaName(report.reportingMta);
    report.receivedFromMta = FieldGroupParser::mtaName(report.receivedFromMta);
    report.postfixSender = FieldGroupParser::stripType(report.postfixSender);
    return out;
}

} // namespace bi::core::bounce
