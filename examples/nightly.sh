#!/bin/sh
# Nightly job: import new claims, regenerate the explainer, and commit it only when it changed.
#
#   nightly.sh REPO [CLAIMS.jsonl]
#
# REPO is a git repository holding the database and the article. CLAIMS.jsonl, if given, is
# imported first (one claim object per line; re-importing the same file changes nothing).
# Settings, all optional, from the environment (cron passes almost nothing else):
#   AOUSDCTL  the program (default: aousdctl on PATH; give the full path under cron)
#   DB        the database, relative to REPO (default: db/claims.json)
#   ARTICLE   the article, relative to REPO (default: explainer.md)
#   GIT_NAME, GIT_EMAIL   who the commit is by (default: aousdctl nightly <nightly@localhost>)
set -eu

repo=${1:?usage: nightly.sh REPO [CLAIMS.jsonl]}
claims=${2:-}
aousdctl=${AOUSDCTL:-aousdctl}
db=${DB:-db/claims.json}
article=${ARTICLE:-explainer.md}

# Resolve the claims file before leaving the folder it may be relative to.
if [ -n "$claims" ]; then
    claims=$(cd "$(dirname "$claims")" && pwd)/$(basename "$claims")
fi
cd "$repo"

# New entries of the subscribed feeds become leads in the inbox. A feed that fails is named on
# stderr (cron mails it), and the night goes on: the export never waits for the news.
"$aousdctl" --db "$db" fetch > /dev/null || echo "nightly.sh: fetch had failures (above)" >&2

if [ -n "$claims" ]; then
    "$aousdctl" --db "$db" import --quiet "$claims"
fi
"$aousdctl" --db "$db" export --quiet --output "$article"

# Only this job's own paths are looked at and committed: whatever else is staged in REPO is
# left as it is, staged and uncommitted.
git add -- "$article" "$db"
if git diff --cached --quiet -- "$article" "$db"; then
    exit 0
fi
git -c user.name="${GIT_NAME:-aousdctl nightly}" -c user.email="${GIT_EMAIL:-nightly@localhost}" \
    commit --quiet -m "Update the explainer" -- "$article" "$db"
