// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <utility>
#include <variant>

#include <QString>

namespace bi::core {

/// What went wrong, in categories callers can act on.
enum class ErrorCode {
    Io,          ///< a file could not be opened, read or written
    Format,      ///< the input is not what it claims to be (not mail, not a log)
    Database,    ///< SQLite refused (locked, read-only, full, corrupt)
    Cancelled,   ///< the user stopped the work
    InvalidArgument, ///< the caller passed something unusable
    Unsupported, ///< a feature or format that is not implemented
};

/// One error: a code, a one-line message for people, and where it happened.
struct Error {
    ErrorCode code = ErrorCode::Io;
    QString message;
    QString context; ///< file path, table, or other locus; may be empty

    /// "context: message" (or just message) — the one line shown to users.
    [[nodiscard]] QString toString() const;
};

/// A value or an Error. The one error-return type of the whole project (STYLE §5).
template<typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    [[nodiscard]] bool hasValue() const { return m_data.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T& value() & { return std::get<0>(m_data); }
    const T& value() const& { return std::get<0>(m_data); }
    T&& value() && { return std::get<0>(std::move(m_data)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    [[nodiscard]] const Error& error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

/// Result without a value: success, or an Error.
template<>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    [[nodiscard]] bool hasValue() const { return !m_failed; }
    explicit operator bool() const { return !m_failed; }
    [[nodiscard]] const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

/// Shorthand for building an Error.
[[nodiscard]] Error makeError(ErrorCode code, QString message, QString context = {});

} // namespace bi::core
