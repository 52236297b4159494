#!/usr/bin/env bash
# Install the Debian packages given as arguments when they are missing.
# As root: installs them, saying so first. Otherwise: prints the exact command to run as root and fails.
set -euo pipefail
if ! command -v dpkg-query >/dev/null 2>&1; then
  command -v python3 >/dev/null 2>&1 && exit 0  # not Debian: assume the system is prepared
  echo "Không phải hệ Debian/Ubuntu: hãy tự cài các gói tương ứng với: $*" >&2
  exit 1
fi
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
((${#missing[@]} == 0)) && exit 0
cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "Thiếu gói hệ thống: ${missing[*]}" >&2
  echo "Hãy chạy lệnh sau với quyền root (ví dụ sau khi đăng nhập bằng «su -»), rồi chạy lại lệnh make:" >&2
  echo "  $cmd" >&2
  exit 1
fi
echo "Đang cài gói hệ thống (lần đầu, có thể mất vài phút): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1 || true
