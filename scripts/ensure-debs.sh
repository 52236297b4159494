#!/usr/bin/env bash
# Install the Debian packages given as arguments when they are missing (the Makefile passes, once, every
# package the target needs). As root: installs them quietly, saying first what and roughly how long.
# Otherwise: prints the one command to run as root, naming every missing package, and fails.
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
# LibreOffice and Java (only for the tests) are most of the download.
case " ${missing[*]} " in
  *" libreoffice-"*|*" default-jre"*) how_long="khoảng 3–6 phút, tải khoảng 400 MB" ;;
  *) how_long="khoảng 1 phút" ;;
esac
echo "Đang cài ${#missing[@]} gói hệ thống (lần đầu, ${how_long}): ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  failed=$(grep -oE "Failed to fetch [^ ]+" "$log" | sed -E 's|.*/||; s|_.*||' | sort -u | tr '\n' ' ' || true)
  if [[ -n $failed ]]; then
    echo "Không tải được gói hệ thống ${failed% } từ nguồn gói của Debian: hãy kiểm tra kết nối mạng, proxy hoặc" \
         "/etc/apt/sources.list rồi chạy lại lệnh make." >&2
  else
    echo "Không cài được gói hệ thống (${missing[*]}); apt-get báo: $(grep -E '^E:' "$log" | tail -n 3 | tr '\n' ' ')" >&2
  fi
  exit 1
fi
command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1 || true
