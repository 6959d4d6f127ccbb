#!/usr/bin/env bash
# Prints the checkout's revision for a report's header: the short commit, with "+local-changes"
# when the work tree differs from it, or "unknown" outside a git checkout.
cd "$(dirname "$0")/.." || exit 1
revision="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain 2>/dev/null | head -n 1)" ]; then revision="$revision+local-changes"; fi
echo "$revision"
