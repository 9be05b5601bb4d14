#!/usr/bin/env bash
# Rebuild db/claims.json, the shipped example: what is known and rumored about
# All of Us Are Dead Season 2, logged through the CLI over a few weeks.
# Usage: bash db/build-example.sh   (from the project root; replaces db/claims.json)
set -euo pipefail
cd "$(dirname "$0")/.."
export AOUSDCTL_DB=db/claims.json
rm -f "$AOUSDCTL_DB"

# Claims are added a second apart, so "oldest first" is the order below (claims added in
# the same second would be ordered by their random ids). claim N is the id of the N-th.
at() { base="${1%:00Z}"; tick=0; export AOUSDCTL_NOW="$1"; }
ids=(unused)
a() {
  AOUSDCTL_NOW="$(printf '%s:%02dZ' "$base" "$tick")" && tick=$((tick + 1))
  id="$(aousdctl add --quiet "$@")"  # a failed add stops the script (set -e)
  ids+=("$id")
}
claim() { echo "${ids[$1]}"; }

NETFLIX_TITLE=https://www.netflix.com/title/81237994
TUDUM=https://www.netflix.com/tudum/articles/all-of-us-are-dead-season-2

at 2026-10-01T09:00:00Z
aousdctl init --title "All of Us Are Dead Season 2: what we know so far" >/dev/null
aousdctl config set intro "Season 1 locked a high school inside a zombie outbreak and became a \
worldwide hit for Netflix. This page collects every claim about Season 2, from Netflix's own \
announcements down to fan theories, and says how solid each one is." >/dev/null
topic() { aousdctl topic set "$1" --new --order "$2" --heading "$3" "${@:4}" >/dev/null; }
topic Renewal 1 "Is Season 2 confirmed?"
topic Story 2 "What is Season 2 about?" \
  --intro "Season 1 was about surviving the outbreak. Its ending introduced hybrids, and most \
talk about Season 2 starts there."
topic Cheong-san 3 "Is Cheong-san really gone?" \
  --intro "His last stand closed Season 1, but the show never settled whether it killed him."
topic Cast 4 "Who's returning?"
topic "New characters" 5 "Who else might we meet?"
topic Episodes 6 "How many episodes?"
topic Tone 7 "Will it still be this violent?"
topic Production 8 "Where is production?"
topic Release 9 "When will it release?" \
  --intro "Netflix has given no date. The guesses below lean on when filming began and on a long \
effects schedule."
topic "Where to watch" 10 "Where can I watch it?"
a "Netflix has renewed All of Us Are Dead for a second season." --topic Renewal \
  --note "The renewal was announced in June 2022; no trailer or release date has followed."
a "Season 1 ran for 12 episodes." --topic Episodes
a "Cameras started rolling on Season 2 in 2023." --topic Production --tag filming
a "Visual effects for the hybrids are stretching post-production." --topic Production --tag vfx --tag hybrids
a "Season 2 premieres in late 2025, around October or November." --topic Release \
  --expected 2025-10 --tag release-date \
  --note "A guess from 2023 filming plus a long effects schedule; Netflix likes autumn for horror."
a "Season 2 streams only on Netflix, worldwide." --topic "Where to watch"
a "Dubbed and subtitled versions are available on launch day." --topic "Where to watch"

at 2026-10-08T18:30:00Z
a "Park Ji-hu returns as Nam On-jo." --topic Cast --tag returning
a "Lomon returns as Lee Su-hyeok." --topic Cast --tag returning
a "Cho Yi-hyun returns as Choi Nam-ra, now a hybrid." --topic Cast --tag returning --tag hybrids
a "Dae-su, Hyo-ryung and Mi-jin are back as survivors in the quarantine zones." --topic Cast --tag returning
a "Yoon Chan-young returns as Lee Cheong-san." --topic Cast --tag returning --tag cheong-san
a "Yoo In-soo returns as Yoon Gwi-nam." --topic Cast --tag returning \
  --note "Gwi-nam was last seen burned, and hybrids are hard to kill."

at 2026-10-15T20:00:00Z
a "Cheong-san survived the Season 1 finale as a hybrid." --topic Cheong-san --tag cheong-san --tag hybrids \
  --note "Season 1 showed neither his body nor a funeral."
a "Cheong-san ends up on the opposite side from his old classmates." --topic Cheong-san --tag cheong-san
a "Hybrids, infected people who keep their minds, are the centre of the new season." --topic Story --tag hybrids
a "Hybrids band together and come to be seen as a threat." --topic Story --tag hybrids
a "The virus mutates into a stronger, smarter strain." --topic Story
a "The government has to choose between containing and eliminating the infected." --topic Story
a "Military scientists who track hybrids join the story." --topic "New characters" --tag hybrids
a "A second group of student survivors appears elsewhere in Korea." --topic "New characters"
a "International response teams arrive." --topic "New characters"
a "Season 2 has 12 episodes or slightly fewer." --topic Episodes \
  --note "Zombie crowds and hybrid effects are expensive to shoot."
a "Season 2 stays as violent as Season 1, with no character safe." --topic Tone
a "Netflix cancelled Season 2 after the long silence." --topic Renewal

at 2026-10-29T10:15:00Z
aousdctl source add "$(claim 1)" "$TUDUM" --outlet "Netflix Tudum" \
  --title "All of Us Are Dead Season 2 is officially happening" --published 2022-06 >/dev/null
aousdctl promote "$(claim 1)" --to confirmed --note "Netflix's own announcement." >/dev/null
aousdctl source add "$(claim 2)" "$NETFLIX_TITLE" --outlet Netflix --title "All of Us Are Dead" \
  --published 2022-01-28 >/dev/null
aousdctl promote "$(claim 2)" --to confirmed >/dev/null
aousdctl promote "$(claim 3)" --note "Widely reported; no official production notes yet." >/dev/null

at 2026-11-12T08:45:00Z
for number in 8 9 10; do
  aousdctl promote "$(claim "$number")" --note "Named among the returning leads in coverage of the renewal." >/dev/null
done
aousdctl promote "$(claim 6)" --to confirmed --source "$NETFLIX_TITLE" \
  --note "A Netflix original series: it streams on Netflix in every region." >/dev/null

at 2026-11-20T21:00:00Z
aousdctl debunk "$(claim 25)" --source "$TUDUM" \
  --note "The June 2022 renewal has never been withdrawn; the quiet is slow production, not a cancellation." >/dev/null
aousdctl list
