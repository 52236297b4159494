#!/usr/bin/env bash
# Install the Debian packages given as arguments when they are missing.
# As root: installs them. Otherwise: prints the exact command to run and fails.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
((${#missing[@]} == 0)) && exit 0
cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "Thiếu gói hệ thống: ${missing[*]}" >&2
  echo "Hãy chạy lệnh sau với quyền quản trị rồi chạy lại:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Cài gói hệ thống: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1 || true
