#!/usr/bin/env bash
# replace-block.sh FILE NAME CONTENT_FILE: replaces what lies between
# `<!-- NAME:begin -->` and `<!-- NAME:end -->` in FILE with CONTENT_FILE.
set -euo pipefail
file="$1" name="$2" content="$3"
grep -q "<!-- $name:begin -->" "$file" && grep -q "<!-- $name:end -->" "$file" || {
    echo "replace-block.sh: markers <!-- $name:begin/end --> not found in $file" >&2
    exit 1
}
awk -v begin="<!-- $name:begin -->" -v end="<!-- $name:end -->" -v content="$content" '
    $0 == begin { print; while ((getline line < content) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }
' "$file" >"$file.new"
mv "$file.new" "$file"
