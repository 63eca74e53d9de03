#!/usr/bin/env bash
# Installs orgscope on this machine, as a jump host wants it: the static release binary
# (stripped), its man page (`man orgscope`, every subcommand on one page, made by
# swift-argument-parser's generate-manual plugin) and the bash, zsh and fish completions in
# the system's folders.
#
#   scripts/install.sh [PREFIX]               # default /usr/local
#   scripts/install.sh --uninstall [PREFIX]   # removes exactly what it installed
#
# It needs swift and the ncurses headers (apt-get install -y libncurses-dev) to build; the
# installed binary needs neither.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
uninstall=0
for argument in "$@"; do
    case "$argument" in
        --uninstall) uninstall=1 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "install.sh: unknown option $argument" >&2; exit 2 ;;
        *) prefix=$argument ;;
    esac
done

bin=$prefix/bin/orgscope
manual=$prefix/share/man/man1/orgscope.1
bash_completion=$prefix/share/bash-completion/completions/orgscope
zsh_completion=$prefix/share/zsh/site-functions/_orgscope
fish_completion=$prefix/share/fish/vendor_completions.d/orgscope.fish
installed=("$bin" "$manual" "$bash_completion" "$zsh_completion" "$fish_completion")

if [ "$uninstall" = 1 ]; then
    for file in "${installed[@]}"; do
        if [ -e "$file" ]; then rm -f "$file" && echo "removed $file"; fi
    done
    exit 0
fi

scratch=.build-release
echo "== building (release, static Swift runtime)"
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product orgscope
built=$scratch/release/orgscope

echo "== man page"
# The plugin builds the whole package before it reads `orgscope --experimental-dump-help`;
# in the debug build folder the tests use (`swift test`), that is already done, and the page
# is the same whichever build it is read from.
rm -f .build/plugins/GenerateManual/outputs/orgscope/orgscope.1
swift package --allow-writing-to-package-directory generate-manual --configuration debug \
    >/dev/null
page=.build/plugins/GenerateManual/outputs/orgscope/orgscope.1
[ -s "$page" ] || { echo "install.sh: the man page was not generated" >&2; exit 1; }

echo "== installing under $prefix"
install -d "$(dirname "$bin")" "$(dirname "$manual")" "$(dirname "$bash_completion")" \
    "$(dirname "$zsh_completion")" "$(dirname "$fish_completion")"
# Stripped: the symbols are most of the unstripped binary's size.
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
strip -o "$tmp" "$built"
install -m 0755 "$tmp" "$bin"
install -m 0644 "$page" "$manual"
"$bin" --generate-completion-script bash > "$tmp" && install -m 0644 "$tmp" "$bash_completion"
"$bin" --generate-completion-script zsh > "$tmp" && install -m 0644 "$tmp" "$zsh_completion"
"$bin" --generate-completion-script fish > "$tmp" && install -m 0644 "$tmp" "$fish_completion"
command -v mandb >/dev/null 2>&1 && mandb -q "$prefix/share/man" >/dev/null 2>&1 || true
for file in "${installed[@]}"; do echo "installed $file"; done
echo "$("$bin" --version) ($(du -h "$bin" | cut -f1)); try: man orgscope, orgscope --demo"
