// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/filter_bar.h"

#include <QComboBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimeZone>
#include <QTimer>
#include <QToolButton>

#include "core/report/provider_map.h"
#include "core/report/reason_group.h"

using namespace Qt::StringLiterals;

namespace bi::ui {

namespace {

const QDate kNoDate(2000, 1, 1); // the date edits' minimum, shown as "any"

QComboBox* makeCombo(QWidget* parent, const QString& tip, const QStringList& values, bool editable = false)
{
    auto* combo = new QComboBox(parent);
    combo->setToolTip(tip);
    combo->addItem(QObject::tr("any %1").arg(tip.toLower()), QString());
    for (const QString& value : values)
        combo->addItem(value, value);
    combo->setEditable(editable);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return combo;
}

QDateEdit* makeDate(QWidget* parent, const QString& tip)
{
    auto* edit = new QDateEdit(parent);
    edit->setToolTip(tip);
    edit->setCalendarPopup(true);
    edit->setDisplayFormat(u"yyyy-MM-dd"_s);
    edit->setMinimumDate(kNoDate);
    edit->setSpecialValueText(QObject::tr("%1: any").arg(tip));
    edit->setDate(kNoDate);
    return edit;
}

QString comboValue(const QComboBox* combo)
{
    if (combo->isEditable()) {
        const QString text = combo->currentText().trimmed();
        return combo->currentIndex() == 0 && text == combo->itemText(0) ? QString() : text;
    }
    return combo->currentData().toString();
}

} // namespace

FilterBar::FilterBar(QWidget* parent)
    : QWidget(parent),
      m_text(new QLineEdit(this)),
      m_domain(new QLineEdit(this)),
      m_fate(makeCombo(this, tr("Fate"), {u"delivered"_s, u"rejected"_s, u"expired"_s, u"async_bounce"_s, u"deferred"_s})),
      m_reason(makeCombo(this, tr("Reason"),
                         {u"userunknown"_s, u"mailboxfull"_s, u"hostunknown"_s, u"blocked"_s, u"spamdetected"_s,
                          u"policyviolation"_s, u"rejected"_s, u"expired"_s, u"suspend"_s, u"filtered"_s,
                          u"securityerror"_s, u"authfailure"_s, u"mesgtoobig"_s, u"networkerror"_s,
                          u"systemerror"_s, u"toomanyconn"_s, u"ratelimited"_s, u"virusdetected"_s,
                          u"contenterror"_s, u"undefined"_s},
                         true)),
      m_status(new QComboBox(this)),
      m_from(makeDate(this, tr("From"))),
      m_to(makeDate(this, tr("To"))),
      m_source(new QComboBox(this)),
      m_verdict(makeCombo(this, tr("Verdict"), {u"ours"_s, u"backscatter"_s, u"uncertain"_s, u"none"_s})),
      m_extra(new QLabel(this)),
      m_clear(new QToolButton(this)),
      m_typing(new QTimer(this))
{
    m_text->setPlaceholderText(tr("Search recipients (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    m_text->setMinimumWidth(200);
    m_domain->setPlaceholderText(tr("Domain or provider"));
    m_domain->setToolTip(tr("Receiving domains (comma-separated) or a provider name such as Google"));
    m_domain->setClearButtonEnabled(true);
    m_status->setToolTip(tr("Status class"));
    m_status->addItem(tr("any status"), QString());
    m_status->addItem(tr("2.x.x success"), u"2"_s);
    m_status->addItem(tr("4.x.x temporary"), u"4"_s);
    m_status->addItem(tr("5.x.x permanent"), u"5"_s);
    m_source->setToolTip(tr("Where the fate was learned from"));
    m_source->addItem(tr("any source"), QString());
    m_source->addItem(tr("log only"), u"log"_s);
    m_source->addItem(tr("mailbox only"), u"mailbox"_s);
    m_source->addItem(tr("log and mailbox"), u"log+mailbox"_s);
    m_extra->setTextFormat(Qt::PlainText);
    m_extra->hide();
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Clear every filter"));
    m_typing->setSingleShot(true);
    m_typing->setInterval(150);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_text, 3);
    layout->addWidget(m_domain, 2);
    for (QWidget* w : {static_cast<QWidget*>(m_fate), static_cast<QWidget*>(m_reason), static_cast<QWidget*>(m_status),
                       static_cast<QWidget*>(m_from), static_cast<QWidget*>(m_to), static_cast<QWidget*>(m_source),
                       static_cast<QWidget*>(m_verdict), static_cast<QWidget*>(m_extra), static_cast<QWidget*>(m_clear)})
        layout->addWidget(w);

    connect(m_typing, &QTimer::timeout, this, &FilterBar::changed);
    connect(m_text, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_domain, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    for (QComboBox* combo : {m_fate, m_status, m_source, m_verdict})
        connect(combo, &QComboBox::currentIndexChanged, this, &FilterBar::changed);
    connect(m_reason, &QComboBox::currentTextChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_from, &QDateEdit::dateChanged, this, &FilterBar::changed);
    connect(m_to, &QDateEdit::dateChanged, this, &FilterBar::changed);
    connect(m_clear, &QToolButton::clicked, this, &FilterBar::clear);
}

core::store::RecipientFilter FilterBar::filter() const
{
    core::store::RecipientFilter f;
    f.text = m_text->text().trimmed();
    for (const QString& part : m_domain->text().split(u',', Qt::SkipEmptyParts)) {
        const QString name = part.trimmed();
        const QStringList providerDomains = core::report::ProviderMap::builtIn().domainsOf(name);
        if (!providerDomains.isEmpty())
            f.domains += providerDomains;
        else if (!name.isEmpty())
            f.domains << name.toLower();
    }
    if (const QString fate = comboValue(m_fate); !fate.isEmpty())
        f.fates << fate;
    if (const QString reason = comboValue(m_reason); !reason.isEmpty())
        f.reasons << reason.toLower();
    if (!m_reasonGroup.isEmpty() && f.reasons.isEmpty())
        f.reasons = core::report::reasonsIn(core::report::reasonGroupFromName(m_reasonGroup));
    f.statusClass = m_status->currentData().toString();
    // UTC days, as the list, the timeline, the dashboard's day bars and the report show time.
    if (m_from->date() != kNoDate)
        f.fromMs = m_from->date().startOfDay(Qt::UTC).toMSecsSinceEpoch();
    if (m_to->date() != kNoDate)
        f.toMs = m_to->date().addDays(1).startOfDay(Qt::UTC).toMSecsSinceEpoch();
    if (const QString source = m_source->currentData().toString(); !source.isEmpty())
        f.decidedBy << source;
    if (const QString verdict = comboValue(m_verdict); !verdict.isEmpty())
        f.verdicts << verdict;
    f.bounceSecondsMin = m_bounceMin;
    f.bounceSecondsMax = m_bounceMax;
    return f;
}

void FilterBar::applyField(const QString& field, const QString& value)
{
    m_quiet = true;
    if (field == u"fate"_s) {
        setCombo(m_fate, value);
    } else if (field == u"reason"_s) {
        m_reasonGroup.clear();
        setCombo(m_reason, value);
    } else if (field == u"reason_group"_s) {
        setCombo(m_reason, QString());
        m_reasonGroup = value;
    } else if (field == u"domain"_s || field == u"provider"_s) {
        m_domain->setText(value);
    } else if (field == u"verdict"_s) {
        setCombo(m_verdict, value);
    } else if (field == u"day"_s) {
        // "YYYY-MM-DD", or "YYYY-MM-DD/YYYY-MM-DD" for a week's or a month's bar.
        const QDate first = QDate::fromString(value.section(u'/', 0, 0), Qt::ISODate);
        const QDate last = value.contains(u'/') ? QDate::fromString(value.section(u'/', 1, 1), Qt::ISODate) : first;
        if (first.isValid() && last.isValid()) {
            m_from->setDate(first);
            m_to->setDate(last);
        }
    } else if (field == u"bounce_hours_min_max"_s) {
        const QStringList parts = value.split(u',');
        bool okMin = false;
        bool okMax = false;
        const double min = parts.value(0).toDouble(&okMin);
        const double max = parts.value(1).toDouble(&okMax);
        m_bounceMin = okMin ? std::optional<qint64>(qint64(min * 3600)) : std::nullopt;
        m_bounceMax = okMax ? std::optional<qint64>(qint64(max * 3600)) : std::nullopt;
    }
    m_quiet = false;
    m_typing->stop();
    updateExtra();
    changed();
}

void FilterBar::clear()
{
    m_quiet = true;
    m_text->clear();
    m_domain->clear();
    for (QComboBox* combo : {m_fate, m_reason, m_status, m_source, m_verdict})
        setCombo(combo, QString());
    m_from->setDate(kNoDate);
    m_to->setDate(kNoDate);
    m_reasonGroup.clear();
    m_bounceMin.reset();
    m_bounceMax.reset();
    m_quiet = false;
    m_typing->stop();
    updateExtra();
    changed();
}

void FilterBar::setCombo(QComboBox* combo, const QString& value)
{
    if (value.isEmpty()) {
        combo->setCurrentIndex(0);
        if (combo->isEditable())
            combo->setEditText(combo->itemText(0));
        return;
    }
    const int found = combo->findData(value);
    if (found >= 0) {
        combo->setCurrentIndex(found);
    } else if (combo->isEditable()) {
        combo->setEditText(value);
    } else {
        combo->addItem(value, value);
        combo->setCurrentIndex(combo->count() - 1);
    }
}

void FilterBar::updateExtra()
{
    QStringList parts;
    if (!m_reasonGroup.isEmpty())
        parts << tr("reason group: %1").arg(m_reasonGroup);
    if (m_bounceMin || m_bounceMax)
        parts << tr("time to bounce: %1–%2 h")
                     .arg(m_bounceMin ? QString::number(double(*m_bounceMin) / 3600) : QString())
                     .arg(m_bounceMax ? QString::number(double(*m_bounceMax) / 3600) : QString());
    m_extra->setText(parts.join(u" · "_s));
    m_extra->setVisible(!parts.isEmpty());
}

void FilterBar::changed()
{
    if (m_quiet)
        return;
    emit filterChanged(filter());
}

} // namespace bi::ui
