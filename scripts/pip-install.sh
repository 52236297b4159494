#!/usr/bin/env bash
# pip install into the venv given first, quietly; when it fails, one Vietnamese sentence naming what could
# not be fetched (pip's own English stays in <venv>/pip.log for the maintainer).
set -uo pipefail
venv=$1
shift
log="$venv/pip.log"
if "$venv/bin/pip" install -qq --disable-pip-version-check --log "$log" "$@" >/dev/null 2>&1; then
  exit 0
fi
what=$(sed -nE 's/.*No matching distribution found for ([^ ]+).*/\1/p' "$log" | tail -n 1)
[[ -n $what ]] || what=$(sed -nE 's/.*(Collecting|Downloading|Obtaining) ([^ ]+).*/\2/p' "$log" | tail -n 1)
if grep -qiE "connection|timed out|Temporary failure in name resolution|No matching distribution|SSL|ProxyError|HTTP error" "$log"; then
  echo "Không tải được thư viện Python «${what:-requirements.lock}» từ kho PyPI (https://pypi.org): hãy kiểm tra" \
       "kết nối mạng hoặc proxy (biến HTTPS_PROXY) rồi chạy lại lệnh make; chi tiết kỹ thuật ở $log." >&2
else
  echo "Không cài được thư viện Python «${what:-requirements.lock}» vào $venv; chi tiết kỹ thuật ở $log." >&2
fi
exit 1
