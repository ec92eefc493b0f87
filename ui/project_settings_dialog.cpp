// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/project_settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimeZone>
#include <QtConcurrent/QtConcurrentRun>

#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::ui {

namespace {
const QString kDomains = u"own_domains"_s;
const QString kHosts = u"own_hosts"_s;
const QString kZone = u"log_time_zone"_s;
const QString kUntil = u"logs_until"_s;
}

ProjectSettingsDialog::ProjectSettingsDialog(const QString& projectPath, QWidget* parent)
    : QDialog(parent),
      m_path(projectPath),
      m_domains(new QLineEdit(this)),
      m_hosts(new QLineEdit(this)),
      m_zone(new QComboBox(this)),
      m_until(new QLineEdit(this)),
      m_message(new QLabel(this))
{
    setWindowTitle(tr("Project Settings"));
    m_domains->setPlaceholderText(tr("example.com, example.net"));
    m_hosts->setPlaceholderText(tr("mx1.example.com, relay.example.net"));
    m_until->setPlaceholderText(tr("YYYY-MM-DD (empty: each log file's date)"));
    m_until->setToolTip(tr("Syslog time stamps have no year. They are dated up to this day, or up to each "
                           "file's modification time when empty; a copy that did not keep it has the day it "
                           "was copied."));
    m_zone->setEditable(true);
    m_zone->addItem(tr("this machine's (%1)").arg(QString::fromLatin1(QTimeZone::systemTimeZoneId())), QString());
    for (const QByteArray& id : QTimeZone::availableTimeZoneIds())
        m_zone->addItem(QString::fromLatin1(id), QString::fromLatin1(id));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Own &domains:"), m_domains);
    form->addRow(tr("Own &relays:"), m_hosts);
    form->addRow(tr("Log &time zone:"), m_zone);
    form->addRow(tr("Logs &end on:"), m_until);
    form->addRow(m_message);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProjectSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setEnabled(false);
    connect(&m_loading, &QFutureWatcher<core::Result<Values>>::finished, this, [this] {
        setEnabled(true);
        const auto values = m_loading.result();
        if (!values) {
            m_message->setText(values.error().toString());
            return;
        }
        m_domains->setText(values->ownDomains);
        m_hosts->setText(values->ownHosts);
        m_until->setText(values->logsUntil);
        const int found = m_zone->findData(values->logTimeZone);
        if (found >= 0)
            m_zone->setCurrentIndex(found);
        else
            m_zone->setEditText(values->logTimeZone);
    });
    connect(&m_saving, &QFutureWatcher<core::Result<void>>::finished, this, [this] {
        setEnabled(true);
        if (const auto ok = m_saving.result(); !ok) {
            m_message->setText(ok.error().toString());
            return;
        }
        emit saved();
        QDialog::accept();
    });
    m_loading.setFuture(QtConcurrent::run([path = m_path] { return load(path); }));
}

core::Result<ProjectSettingsDialog::Values> ProjectSettingsDialog::load(const QString& projectPath)
{
    auto store = core::store::ProjectStore::open(projectPath, u"gui-settings"_s, false);
    if (!store)
        return store.error();
    Values values;
    for (auto [key, target] : {std::pair{kDomains, &values.ownDomains}, std::pair{kHosts, &values.ownHosts},
                               std::pair{kZone, &values.logTimeZone}, std::pair{kUntil, &values.logsUntil}}) {
        auto value = store->setting(key);
        if (!value)
            return value.error();
        *target = value->value_or(QString());
    }
    return values;
}

core::Result<void> ProjectSettingsDialog::save(const QString& projectPath, const Values& values)
{
    auto store = core::store::ProjectStore::open(projectPath, u"gui-settings"_s, false);
    if (!store)
        return store.error();
    auto normalised = [](const QString& list) {
        QStringList names;
        for (const QString& name : list.split(u',', Qt::SkipEmptyParts))
            if (const QString n = name.trimmed().toLower(); !n.isEmpty())
                names << n;
        return names.join(u","_s);
    };
    for (auto [key, value] : {std::pair{kDomains, normalised(values.ownDomains)},
                              std::pair{kHosts, normalised(values.ownHosts)},
                              std::pair{kZone, values.logTimeZone.trimmed()},
                              std::pair{kUntil, values.logsUntil.trimmed()}}) {
        auto done = value.isEmpty() ? store->removeSetting(key) : store->setSetting(key, value);
        if (!done)
            return done;
    }
    return {};
}

void ProjectSettingsDialog::accept()
{
    Values values{m_domains->text(), m_hosts->text(),
                  m_zone->currentIndex() >= 0 && m_zone->currentText() == m_zone->itemText(m_zone->currentIndex())
                      ? m_zone->currentData().toString()
                      : m_zone->currentText(),
                  m_until->text().trimmed()};
    if (!values.logTimeZone.isEmpty() && !QTimeZone(values.logTimeZone.toLatin1()).isValid()) {
        m_message->setText(tr("Unknown time zone: %1").arg(values.logTimeZone));
        return;
    }
    if (!values.logsUntil.isEmpty() && !QDate::fromString(values.logsUntil, Qt::ISODate).isValid()) {
        m_message->setText(tr("The day the logs end must be a date as YYYY-MM-DD: %1").arg(values.logsUntil));
        return;
    }
    setEnabled(false);
    m_saving.setFuture(QtConcurrent::run([path = m_path, values] { return save(path, values); }));
}

} // namespace bi::ui
