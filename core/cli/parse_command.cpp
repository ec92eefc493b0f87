// SPDX-License-Identifier: GPL-3.0-or-later
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <QCommandLineParser>
#include <QThread>

#include "core/bounce/bounce_json.h"
#include "core/bounce/bounce_parser.h"
#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/cli/console_progress.h"
#include "core/mail/mail_reader.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

namespace {

// Raw messages read ahead of the output: bounds memory whatever the mailbox size (a batch
// with one larger message is still taken alone).
constexpr qsizetype kMaxBytesInFlight = 16 * 1024 * 1024;
constexpr int kMaxBatchesInFlight = 16;
constexpr int kMaxWorkers = 8;
// Messages go to the workers in batches: one handoff per message (a bounce is a few KB) cost
// two futex calls and a wake-up on each side; batches took a sixth off the run (24,540
// messages: 45,795 futex calls, now 1,274).
constexpr int kBatchMessages = 32;
constexpr qsizetype kBatchBytes = 512 * 1024;

// The records of one message, one line each.
QByteArray render(const mail::RawMessage& raw)
{
    const bounce::BounceReport report = bounce::BounceParser::parse(raw.bytes);
    QByteArray out;
    for (qsizetype i = 0; i < report.recipients.size(); ++i) {
        out += bounce::BounceJson::record(raw.sourcePath, raw.index, report, i);
        out += '\n';
    }
    return out;
}

// Parses messages on worker threads and prints their records in input order. The calling
// (reader) thread submits and prints; workers only parse, so the output is the same as one
// thread's, byte for byte. BounceParser::parse is thread-safe (stateless decoders, tables built
// once).
class OrderedParser final {
public:
    explicit OrderedParser(int workers)
    {
        for (int i = 0; i < workers; ++i)
            m_threads.emplace_back([this] { work(); });
    }

    ~OrderedParser() { finish(); }

    OrderedParser(const OrderedParser&) = delete;
    OrderedParser& operator=(const OrderedParser&) = delete;

    void submit(mail::RawMessage&& raw)
    {
        m_pendingBytes += raw.bytes.size();
        m_pending.push_back(std::move(raw));
        if (int(m_pending.size()) >= kBatchMessages || m_pendingBytes >= kBatchBytes)
            submitPending();
    }

    /// Waits for every submitted message and prints the rest; stops the workers.
    void finish()
    {
        submitPending();
        std::unique_lock lock(m_mutex);
        if (m_finished)
            return;
        m_finished = true;
        m_jobReady.notify_all();
        while (m_inFlight > 0) {
            m_resultReady.wait(lock, [this] { return m_done.count(m_nextToPrint) > 0; });
            printReady(lock);
        }
        lock.unlock();
        for (std::thread& t : m_threads)
            t.join();
    }

private:
    // Hands the messages gathered by submit() to the workers as one job, once the results
    // ahead of it leave room (memory stays bounded whatever the mailbox size).
    void submitPending()
    {
        if (m_pending.empty())
            return;
        std::unique_lock lock(m_mutex);
        while (true) {
            printReady(lock);
            if (m_inFlight == 0
                || (m_bytesInFlight + m_pendingBytes <= kMaxBytesInFlight && m_inFlight < kMaxBatchesInFlight))
                break;
            m_resultReady.wait(lock, [this] { return m_done.count(m_nextToPrint) > 0; });
        }
        m_bytesInFlight += m_pendingBytes;
        ++m_inFlight;
        m_jobs.push_back(Job{m_nextSeq++, std::exchange(m_pending, {}), m_pendingBytes});
        m_pendingBytes = 0;
        m_jobReady.notify_one();
    }

    struct Job {
        qint64 seq = 0;
        std::vector<mail::RawMessage> raws;
        qsizetype rawSize = 0;
    };
    struct Done {
        QByteArray output;
        qsizetype rawSize = 0;
    };

    void work()
    {
        std::unique_lock lock(m_mutex);
        while (true) {
            m_jobReady.wait(lock, [this] { return !m_jobs.empty() || m_finished; });
            if (m_jobs.empty())
                return;
            Job job = std::move(m_jobs.front());
            m_jobs.pop_front();
            lock.unlock();
            Done done;
            done.rawSize = job.rawSize;
            for (const mail::RawMessage& raw : job.raws) {
                try {
                    done.output += render(raw);
                } catch (...) {
                    // Nothing may leave a thread (STYLE §5); the parser does not throw, but a
                    // message that did would print no records rather than end the program.
                }
            }
            job.raws.clear();
            lock.lock();
            m_done.emplace(job.seq, std::move(done));
            m_resultReady.notify_all();
        }
    }

    // Prints the finished results that are next in order; the lock is released while writing.
    void printReady(std::unique_lock<std::mutex>& lock)
    {
        std::vector<QByteArray> ready;
        for (auto it = m_done.find(m_nextToPrint); it != m_done.end(); it = m_done.find(m_nextToPrint)) {
            ready.push_back(std::move(it->second.output));
            m_bytesInFlight -= it->second.rawSize;
            --m_inFlight;
            m_done.erase(it);
            ++m_nextToPrint;
        }
        if (ready.empty())
            return;
        lock.unlock();
        for (const QByteArray& block : ready)
            Console::outRaw(block);
        lock.lock();
    }

    std::mutex m_mutex;
    std::condition_variable m_jobReady;
    std::condition_variable m_resultReady;
    std::deque<Job> m_jobs;
    std::map<qint64, Done> m_done;
    qint64 m_nextSeq = 0;
    qint64 m_nextToPrint = 0;
    qsizetype m_bytesInFlight = 0;
    int m_inFlight = 0;
    bool m_finished = false;
    std::vector<std::thread> m_threads;
    // submit()'s messages not yet handed over (the calling thread's only).
    std::vector<mail::RawMessage> m_pending;
    qsizetype m_pendingBytes = 0;
};

} // namespace

int runParse(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption jsonl(u"jsonl"_s, u"One JSON object per line for each recipient result (the default)."_s);
    parser.addOption(jsonl);
    parser.addPositionalArgument(u"PATH"_s, u"Mailboxes, Maildirs, message files or folders (also .gz)."_s,
                                 u"PATH..."_s);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"parse"_s,
                          u"Decode every bounce, delay notice, feedback report and auto-reply in the given "
                          u"mailboxes and print one record per recipient. No project is needed."_s,
                          arguments, exitCode))
        return exitCode;
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty()) {
        Console::err(u"bounce-inspector-cli parse: no PATH given (see --help)"_s);
        return ExitUsage;
    }

    // Parsing dominates: one worker per core, reading and printing stay on this thread.
    // BI_PARSE_THREADS=1 parses on this thread alone (for measurements).
    bool fixedCount = false;
    const int requested = qEnvironmentVariableIntValue("BI_PARSE_THREADS", &fixedCount);
    const int workers = qBound(1, fixedCount ? requested : QThread::idealThreadCount(), kMaxWorkers);
    ConsoleProgress progress;
    int failures = 0;
    for (const QString& path : paths) {
        std::optional<OrderedParser> ordered;
        if (workers > 1)
            ordered.emplace(workers);
        const auto read = mail::MailReader::read(path, [&ordered](mail::RawMessage&& raw) {
            if (ordered)
                ordered->submit(std::move(raw));
            else
                Console::outRaw(render(raw));
            return true;
        }, &progress);
        if (ordered)
            ordered->finish();
        progress.finish();
        if (!read) {
            Console::err(read.error().toString());
            ++failures;
        } else if (read->stopped) {
            Console::err(u"stopped on request"_s);
            return ExitFailure;
        } else {
            for (const QString& cut : read->cutFiles) {
                Console::err(u"warning: %1: reading stopped early (damaged or incomplete file?); the messages "
                             u"before were parsed"_s.arg(cut));
            }
        }
    }
    Console::flush();
    return failures ? ExitFailure : ExitOk;
}

} // namespace bi::core::cli
