#!/bin/sh
# Nightly job: bring in the editors' changes, fetch the feeds, import new claims, regenerate the
# explainer, commit it only when it changed, and share the result.
#
#   nightly.sh REPO [CLAIMS.jsonl]
#
# REPO is a git repository holding the database and the article. CLAIMS.jsonl, if given, is
# imported first (one claim object per line; re-importing the same file changes nothing).
# When REPO's branch has an upstream (a shared repository the editors push to), the job pulls
# before it starts and pushes after it commits (a push another clone beat gets one more pull
# and push); run `aousdctl git-setup --article ARTICLE` once in REPO so that git merges the
# database claim by claim and never stops on the article.
# Settings, all optional, from the environment (cron passes almost nothing else):
#   AOUSDCTL  the program (default: aousdctl on PATH, which under cron is short: give the
#             full path there, e.g. /home/me/aousd/.venv/bin/aousdctl)
#   DB        the database, relative to REPO (default: db/claims.json)
#   ARTICLE   the article, relative to REPO (default: explainer.md)
#   GIT_NAME, GIT_EMAIL   who the commit is by (default: aousdctl nightly <nightly@localhost>)
set -eu

repo=${1:?usage: nightly.sh REPO [CLAIMS.jsonl]}
claims=${2:-}
aousdctl=${AOUSDCTL:-aousdctl}
db=${DB:-db/claims.json}
article=${ARTICLE:-explainer.md}

# Find the program first: without it every step below would fail and be reported as
# something else (a fetch failure). Resolved before leaving the folder a relative path is in.
found=$(command -v "$aousdctl" || true)
if [ -z "$found" ] || [ -d "$found" ] || [ ! -x "$found" ]; then
    if [ -n "${AOUSDCTL:-}" ]; then
        echo "nightly.sh: AOUSDCTL=$AOUSDCTL is not a program that can be run" >&2
    else
        echo "nightly.sh: aousdctl not found on PATH ($PATH); set AOUSDCTL to its full path" >&2
    fi
    exit 127
fi
case $found in
    /*) aousdctl=$found ;;
    *) aousdctl=$(pwd)/$found ;;
esac

# Resolve the claims file before leaving the folder it may be relative to.
if [ -n "$claims" ]; then
    claims=$(cd "$(dirname "$claims")" && pwd)/$(basename "$claims")
fi
cd "$repo"
if ! command -v "$aousdctl" > /dev/null 2>&1; then
    echo "nightly.sh: $aousdctl not found: put aousdctl on PATH or set AOUSDCTL to its full path" >&2
    exit 127
fi
git_as_nightly() {
    git -c user.name="${GIT_NAME:-aousdctl nightly}" -c user.email="${GIT_EMAIL:-nightly@localhost}" "$@"
}

# Bring in what was pushed. A merge git could not make alone (this clone has no `git-setup`)
# is finished by aousdctl: the database merged, the article kept (it is made again below).
# Anything else that stops the pull stops the night, saying why.
pull() {
    git_as_nightly pull --quiet --no-rebase --no-edit && return 0
    if git ls-files --unmerged | grep -q .; then
        echo "nightly.sh: git could not merge on its own; finishing with aousdctl resolve" >&2
        if git ls-files --unmerged -- "$db" | grep -q .; then
            "$aousdctl" --db "$db" resolve --quiet
        fi
        if git ls-files --unmerged -- "$article" | grep -q .; then
            git checkout --ours -- "$article" && git add -- "$article"
        fi
        others=$(git ls-files --unmerged | cut -f2 | sort -u | tr '\n' ' ')
        if [ -n "$others" ]; then
            echo "nightly.sh: conflicts in ${others% } need a person: resolve them, then git commit" >&2
            exit 1
        fi
        git_as_nightly commit --quiet --no-edit
        return 0
    fi
    changed=$(git status --porcelain --untracked-files=no | cut -c4- | tr '\n' ' ')
    if [ -n "$changed" ]; then
        echo "nightly.sh: uncommitted changes in $repo stop the pull (${changed% }): commit or stash them" >&2
    else
        echo "nightly.sh: git pull failed (above); nothing was changed" >&2
    fi
    exit 1
}

# Regenerate the article and commit it with the database, only when they changed. Only this
# job's own paths are looked at and committed: whatever else is staged in REPO is left as it
# is, staged and uncommitted.
publish() {
    "$aousdctl" --db "$db" export --quiet --output "$article"
    git add -- "$article" "$db"
    if ! git diff --cached --quiet -- "$article" "$db"; then
        git_as_nightly commit --quiet -m "Update the explainer" -- "$article" "$db"
    fi
}

shared=no
if git rev-parse --abbrev-ref --symbolic-full-name '@{u}' > /dev/null 2>&1; then
    shared=yes
    pull
fi

# New entries of the subscribed feeds become leads in the inbox. A feed that fails is named on
# stderr (cron mails it), and the night goes on: the export never waits for the news.
"$aousdctl" --db "$db" fetch > /dev/null || echo "nightly.sh: fetch had failures (above)" >&2

if [ -n "$claims" ]; then
    "$aousdctl" --db "$db" import --quiet "$claims"
fi
publish

# Share it. Another clone may have pushed since the pull: then pull once more (the article is
# made again from the merged database) and push again; git names whatever still stops it.
if [ "$shared" = yes ] && ! refused=$(git push --quiet 2>&1); then
    pull
    publish
    if ! git push --quiet; then
        printf '%s\n' "$refused" >&2
        echo "nightly.sh: the push failed twice; the night's work is committed here, not shared" >&2
        exit 1
    fi
fi
