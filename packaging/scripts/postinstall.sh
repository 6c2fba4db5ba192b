#!/bin/sh
# After the .deb or .rpm is installed: make the system user the system unit runs as, and its
# home, and tell systemd about the new units. Nothing is enabled or started: the service
# needs a config with an App Store Connect key first.
set -e
if ! getent passwd storesyncer >/dev/null 2>&1; then
	if command -v systemd-sysusers >/dev/null 2>&1; then
		systemd-sysusers storesyncer.conf
	else
		useradd --system --user-group --home-dir /var/lib/storesyncer --shell /usr/sbin/nologin \
			--comment "StoreSyncer daemon" storesyncer
	fi
fi
install -d -m 0700 -o storesyncer -g storesyncer /var/lib/storesyncer
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
cat <<'MSG'
StoreSyncer is installed. For your own user:  storesyncer init && storesyncer service install
For the system service (runs as user storesyncer):
  write /etc/storesyncer/config.toml (example: /usr/share/doc/storesyncer/config.example.toml),
  then: systemctl enable --now storesyncer
MSG
