#!/bin/sh
# Before the .deb or .rpm is removed (not upgraded): stop and disable the system service.
# The storesyncer user, its home and every workspace stay.
set -e
case "$1" in
	remove|purge|0)
		if [ -d /run/systemd/system ]; then
			systemctl disable --now storesyncer.service >/dev/null 2>&1 || true
		fi
		;;
esac
