// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>

#include "core/bounce/bounce_decoder.h"
#include "core/bounce/field_group.h"

namespace bi::core::bounce {

/// Generic RFC 3464 delivery status notifications (multipart/report; report-type=delivery-status), also when the MIME structure is broken and the status fields only appear in the text.
class Rfc3464Decoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

/// Reads the RFC 3464 §2.2 per-message fields (Reporting-MTA, Received-From-MTA, Arrival-Date,
/// Original-Envelope-Id, X-Postfix-Queue-ID, X-Postfix-Sender) into report, searching every group
/// since some MTAs merge them into a recipient's group; the first value found wins.
void readPerMessageFields(const QList<FieldGroup>& groups, BounceReport& report);

} // namespace bi::core::bounce
