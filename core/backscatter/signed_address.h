// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace bi::core::backscatter {

/// A bounce address that carries a signature or an encoding: BATV/PRVS
/// (draft-levine-smtp-batv-01), SRS0/SRS1 (Sender Rewriting Scheme), or VERP
/// (the recipient encoded into the return path, "bounces+user=example.com@ours").
/// Thread: value type.
struct SignedAddress {
    enum class Scheme { None, Prvs, Srs0, Srs1, Verp };
    /// What the checks found. Unverified: well formed and in date, but no secret to check
    /// the hash with; Valid: the hash was checked with the configured secret.
    enum class Check { Absent, Valid, Unverified, Expired, BadHash, Malformed };

    Scheme scheme = Scheme::None;
    QString address;    ///< as given, lower case
    QString inner;      ///< the address it stands for (prvs/SRS: the original sender; VERP: the sender box)
    QString hash;       ///< prvs: 6 hex digits; SRS: the first (SRS0) or outer (SRS1) hash
    int prvsKey = -1;   ///< prvs key number 0-9
    int prvsDay = -1;   ///< prvs day number 0-999
    QString srsStamp;   ///< SRS0 two base32 characters
    QString srsHost;    ///< SRS0: the original sender's domain; SRS1: the first forwarder
    QString srsUser;    ///< SRS0: the original sender's local part
    QString srsInnerHash; ///< SRS1: the hash of the embedded SRS0 part
    QString srsOpaque;  ///< SRS1: the embedded SRS0 part after its "SRS0" prefix ("=HHHH=TT=dom=user")
    QString verpRecipient; ///< VERP: the recipient encoded in the address

    /// Recognises the scheme of one address; Scheme::None with inner = address when none.
    /// Malformed prvs/SRS local parts (prefix present, fields missing) give the scheme with
    /// an empty inner.
    [[nodiscard]] static SignedAddress parse(const QString& address);

    /// Checks a prvs tag: well formed, its day number at most 7 days before `at` (1 after,
    /// for clock skew), and with a non-empty secret the HMAC-SHA1 hash.
    [[nodiscard]] Check checkPrvs(const QDateTime& at, const QByteArray& secret = {}) const;
    /// Checks an SRS0/SRS1 address: well formed, SRS0 stamp at most 21 days before `at`,
    /// and with a non-empty secret the 4-character HMAC-SHA1 base64 hash.
    [[nodiscard]] Check checkSrs(const QDateTime& at, const QByteArray& secret = {}) const;
    /// The check that applies to the scheme (VERP: Unverified when well formed).
    [[nodiscard]] Check check(const QDateTime& at, const QByteArray& prvsSecret, const QByteArray& srsSecret) const;

    /// Signing, for tests and for people checking their own setup.
    [[nodiscard]] static QString signPrvs(const QString& address, const QDateTime& at, int key, const QByteArray& secret);
    [[nodiscard]] static QString signSrs0(const QString& address, const QString& forwarderDomain, const QDateTime& at,
                                          const QByteArray& secret);
};

/// "prvs", "srs0", "srs1", "verp", "none".
[[nodiscard]] QString schemeName(SignedAddress::Scheme scheme);
/// "absent", "valid", "unverified", "expired", "bad-hash", "malformed".
[[nodiscard]] QString checkName(SignedAddress::Check check);

} // namespace bi::core::backscatter
