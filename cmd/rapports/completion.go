package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
)

// shells are the shells "rapports completion" writes scripts for.
var shells = []string{"bash", "zsh", "fish"}

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:  "completion",
		Usage: "print a shell completion script (bash, zsh or fish)",
		UsageText: `rapports completion bash|zsh|fish

source <(rapports completion bash)                         # bash, this shell
rapports completion bash > ~/.local/share/bash-completion/completions/rapports
rapports completion zsh > "${fpath[1]}/_rapports"          # zsh, then restart it
rapports completion fish > ~/.config/fish/completions/rapports.fish`,
		Description: `Prints a script that completes the commands, their options, the values of
--country (ISO 3166-1 codes), --sort, --format and --analyzer, and file and
folder names where a command takes them. The script is generated from the
commands of this binary: print it again after an upgrade.`,
		Action: runCompletion,
	}
}

func runCompletion(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageError(c, "completion: give one shell: %s", strings.Join(shells, ", "))
	}
	var script string
	switch sh := c.Args().First(); sh {
	case "bash":
		script = bashCompletion(c.App)
	case "zsh":
		script = zshCompletion(c.App)
	case "fish":
		script = fishCompletion(c.App)
	default:
		return usageError(c, "completion: %q is not a shell this writes for (want %s)", sh, strings.Join(shells, ", "))
	}
	if _, err := fmt.Fprint(c.App.Writer, script); err != nil {
		return fmt.Errorf("completion: write: %w", err)
	}
	return nil
}

// optionSpec is what a completion script knows of one option.
type optionSpec struct {
	long, short string   // "country", "c" ("" when it has no short name)
	usage       string   // one line, without the `VALUE` quotes
	takesValue  bool     // --country CC, not --json
	values      []string // the values to offer, or nil
	files, dirs bool     // complete file names, folder names
	repeatable  bool
}

// commandSpec is what a completion script knows of one command.
type commandSpec struct {
	name, usage string
	options     []optionSpec
	args        []string // the words to offer as arguments, if fixed
	files       bool     // its arguments are files or folders
}

// optionValues are the values completion offers for options that take
// one of a fixed set.
func optionValues(name string) []string {
	switch name {
	case "country":
		return corpus.CountryCodes()
	case "sort":
		return []string{index.SortRelevance, index.SortDate, index.SortDateDesc}
	case "analyzer":
		return analyzers.Names()
	case "format":
		return searchFormats
	}
	return nil
}

// options describes flags for the completion scripts.
func options(flags []cli.Flag) []optionSpec {
	var out []optionSpec
	for _, f := range flags {
		names := f.Names()
		if names[0] == "help" {
			continue // added once below, whether the app has set it up or not
		}
		o := optionSpec{long: names[0]}
		for _, n := range names[1:] {
			if len(n) == 1 {
				o.short = n
			}
		}
		if df, ok := f.(cli.DocGenerationFlag); ok {
			o.takesValue = df.TakesValue()
			o.usage = strings.ReplaceAll(df.GetUsage(), "`", "")
		}
		if _, ok := f.(*cli.StringSliceFlag); ok {
			o.repeatable = true
		}
		o.values = optionValues(o.long)
		if sf, ok := f.(*cli.StringFlag); ok && sf.TakesFile {
			o.dirs = o.long == "index"
			o.files = !o.dirs
		}
		out = append(out, o)
	}
	out = append(out, optionSpec{long: "help", short: "h", usage: "show help"})
	return out
}

// commands describes the app's commands for the completion scripts.
func commands(app *cli.App) []commandSpec {
	var out []commandSpec
	for _, cmd := range app.Commands {
		if cmd.Hidden || cmd.Name == "help" {
			continue
		}
		s := commandSpec{name: cmd.Name, usage: cmd.Usage, options: options(cmd.Flags)}
		switch cmd.Name {
		case "index":
			s.files = true
		case "completion":
			s.args = shells
		}
		out = append(out, s)
	}
	out = append(out, commandSpec{name: "help", usage: "show the commands, or the help of one",
		args: commandNames(app)})
	return out
}

// commandNames returns the names of the app's commands.
func commandNames(app *cli.App) []string {
	var names []string
	for _, cmd := range app.Commands {
		if !cmd.Hidden && cmd.Name != "help" {
			names = append(names, cmd.Name)
		}
	}
	return names
}

// bashCompletion returns the bash completion script of app.
func bashCompletion(app *cli.App) string {
	var b strings.Builder
	cmds := commands(app)
	global := options(app.Flags)
	b.WriteString(`# bash completion of rapports, written by "rapports completion bash".
# Load it with: source <(rapports completion bash)
_rapports() {
    local cur prev cmd i
    COMPREPLY=()
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev=""
    if ((COMP_CWORD > 0)); then prev="${COMP_WORDS[COMP_CWORD-1]}"; fi
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
`)
	// Skip the values of the global options before the command.
	if vals := valueOptionWords(global); len(vals) > 0 {
		fmt.Fprintf(&b, "            %s) ((i++)) ;;\n", strings.Join(vals, "|"))
	}
	b.WriteString(`            --) break ;;
            -*) ;;
            *) cmd="${COMP_WORDS[i]}"; break ;;
        esac
    done
    case "$cmd $prev" in
`)
	writeBashValues := func(cmd string, opts []optionSpec) {
		for _, o := range opts {
			if !o.takesValue {
				continue
			}
			var keys []string
			for _, w := range optionWords(o) {
				keys = append(keys, bashWord(cmd+" "+w))
			}
			action := "return 0"
			switch {
			case o.values != nil:
				upper := ""
				if o.long == "country" {
					upper = "^^" // codes are uppercase; accept fr for FR
				}
				action = fmt.Sprintf(`COMPREPLY=($(compgen -W %s -- "${cur%s}")); return 0`, bashWord(strings.Join(o.values, " ")), upper)
			case o.dirs:
				action = `COMPREPLY=($(compgen -d -- "$cur")); return 0`
			case o.files:
				action = `COMPREPLY=($(compgen -f -- "$cur")); return 0`
			}
			fmt.Fprintf(&b, "        %s) %s ;;\n", strings.Join(keys, "|"), action)
		}
	}
	writeBashValues("", global)
	for _, c := range cmds {
		writeBashValues(c.name, c.options)
	}
	b.WriteString("    esac\n    case \"$cmd\" in\n")
	fmt.Fprintf(&b, "        \"\")\n            if [[ $cur == -* ]]; then\n                COMPREPLY=($(compgen -W %s -- \"$cur\"))\n"+
		"            else\n                COMPREPLY=($(compgen -W %s -- \"$cur\"))\n            fi ;;\n",
		bashWord(strings.Join(allOptionWords(global), " ")), bashWord(strings.Join(commandNames(app), " ")+" help"))
	for _, c := range cmds {
		args := "COMPREPLY=()"
		switch {
		case c.args != nil:
			args = fmt.Sprintf(`COMPREPLY=($(compgen -W %s -- "$cur"))`, bashWord(strings.Join(c.args, " ")))
		case c.files:
			args = `COMPREPLY=($(compgen -f -- "$cur"))`
		}
		fmt.Fprintf(&b, "        %s)\n            if [[ $cur == -* ]]; then\n                COMPREPLY=($(compgen -W %s -- \"$cur\"))\n"+
			"            else\n                %s\n            fi ;;\n",
			c.name, bashWord(strings.Join(allOptionWords(c.options), " ")), args)
	}
	b.WriteString(`    esac
    return 0
}
complete -o default -o bashdefault -F _rapports rapports
`)
	return b.String()
}

// optionWords returns how o is typed: --country, -c.
func optionWords(o optionSpec) []string {
	w := []string{"--" + o.long}
	if o.short != "" {
		w = append(w, "-"+o.short)
	}
	return w
}

// allOptionWords returns how each of opts is typed.
func allOptionWords(opts []optionSpec) []string {
	var w []string
	for _, o := range opts {
		w = append(w, optionWords(o)...)
	}
	return w
}

// valueOptionWords returns how each option of opts that takes a value is typed.
func valueOptionWords(opts []optionSpec) []string {
	var w []string
	for _, o := range opts {
		if o.takesValue {
			w = append(w, optionWords(o)...)
		}
	}
	return w
}

// bashWord quotes s as one bash word.
func bashWord(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// zshCompletion returns the zsh completion script of app.
func zshCompletion(app *cli.App) string {
	var b strings.Builder
	b.WriteString(`#compdef rapports
# zsh completion of rapports, written by "rapports completion zsh".
# Install it as _rapports in a folder of $fpath, then restart zsh.
_rapports() {
    local curcontext="$curcontext" state line ret=1
    typeset -A opt_args
    local -a commands
    commands=(
`)
	cmds := commands(app)
	for _, c := range cmds {
		fmt.Fprintf(&b, "        %s\n", zshQuote(c.name+":"+c.usage))
	}
	b.WriteString("    )\n    _arguments -C \\\n")
	for _, spec := range zshOptions(options(app.Flags)) {
		fmt.Fprintf(&b, "        %s \\\n", spec)
	}
	b.WriteString(`        '1: :->command' \
        '*:: :->args' && ret=0
    case $state in
        command) _describe -t commands 'rapports command' commands && ret=0 ;;
        args)
            case $words[1] in
`)
	for _, c := range cmds {
		fmt.Fprintf(&b, "                %s)\n                    _arguments \\\n", c.name)
		for _, spec := range zshOptions(c.options) {
			fmt.Fprintf(&b, "                        %s \\\n", spec)
		}
		switch {
		case c.args != nil:
			fmt.Fprintf(&b, "                        %s && ret=0 ;;\n", zshQuote("1:argument:("+strings.Join(c.args, " ")+")"))
		case c.files:
			b.WriteString("                        '*:file or folder:_files' && ret=0 ;;\n")
		default:
			b.WriteString("                        '*:argument: ' && ret=0 ;;\n")
		}
	}
	b.WriteString(`            esac ;;
    esac
    return ret
}
_rapports "$@"
`)
	return b.String()
}

// zshOptions returns the _arguments specs of opts.
func zshOptions(opts []optionSpec) []string {
	var specs []string
	for _, o := range opts {
		desc := "[" + zshDesc(o.usage) + "]"
		value := ""
		if o.takesValue {
			name := strings.ToUpper(o.long)
			action := " "
			switch {
			case o.long == "country":
				var pairs []string
				for _, code := range o.values {
					pairs = append(pairs, code+`\:`+zshEscape(corpus.CountryName(code)))
				}
				action = "((" + strings.Join(pairs, " ") + "))"
			case o.values != nil:
				action = "(" + strings.Join(o.values, " ") + ")"
			case o.dirs:
				action = "_files -/"
			case o.files:
				action = "_files"
			}
			value = ":" + name + ":" + action
		}
		repeat := ""
		if o.repeatable {
			repeat = "*"
		}
		if o.short == "" {
			specs = append(specs, zshQuote(repeat+"--"+o.long+desc+value))
			continue
		}
		excl := ""
		if !o.repeatable {
			excl = "(-" + o.short + " --" + o.long + ")"
		}
		specs = append(specs, zshQuote(excl+repeat)+"{-"+o.short+",--"+o.long+"}"+zshQuote(desc+value))
	}
	return specs
}

// zshDesc makes s safe inside the [description] of an _arguments spec.
func zshDesc(s string) string {
	return strings.NewReplacer("[", "(", "]", ")", "\n", " ").Replace(s)
}

// zshEscape escapes the spaces and colons of a word in a ((value\:description)) list.
func zshEscape(s string) string {
	return strings.NewReplacer(" ", `\ `, ":", `\:`, "(", `\(`, ")", `\)`).Replace(s)
}

// zshQuote quotes s as one zsh word.
func zshQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// fishCompletion returns the fish completion script of app.
func fishCompletion(app *cli.App) string {
	var b strings.Builder
	b.WriteString(`# fish completion of rapports, written by "rapports completion fish".
# Install it with: rapports completion fish > ~/.config/fish/completions/rapports.fish
complete -c rapports -f
`)
	cmds := commands(app)
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	seen := "__fish_seen_subcommand_from " + strings.Join(names, " ")
	for _, c := range cmds {
		fmt.Fprintf(&b, "complete -c rapports -n %s -a %s -d %s\n", fishQuote("not "+seen), c.name, fishQuote(c.usage))
	}
	writeOpts := func(cond string, opts []optionSpec) {
		for _, o := range opts {
			line := "complete -c rapports -n " + fishQuote(cond) + " -l " + o.long
			if o.short != "" {
				line += " -s " + o.short
			}
			switch {
			case o.long == "country":
				// Each code with its name as description: complete
				// expands the list, so the names are quoted within it.
				vals := make([]string, len(o.values))
				for i, code := range o.values {
					vals[i] = code + `\t` + fishQuote(corpus.CountryName(code))
				}
				line += " -x -a " + fishQuote(strings.Join(vals, " "))
				b.WriteString(line + "\n")
				continue
			case o.values != nil:
				line += " -x -a " + fishQuote(strings.Join(o.values, " "))
			case o.dirs:
				line += " -x -a '(__fish_complete_directories)'"
			case o.files:
				line += " -r -F"
			case o.takesValue:
				line += " -x"
			}
			line += " -d " + fishQuote(o.usage)
			b.WriteString(line + "\n")
		}
	}
	writeOpts("not "+seen, options(app.Flags))
	for _, c := range cmds {
		cond := "__fish_seen_subcommand_from " + c.name
		writeOpts(cond, c.options)
		switch {
		case c.args != nil:
			fmt.Fprintf(&b, "complete -c rapports -n %s -a %s\n", fishQuote(cond), fishQuote(strings.Join(c.args, " ")))
		case c.files:
			fmt.Fprintf(&b, "complete -c rapports -n %s -F\n", fishQuote(cond))
		}
	}
	return b.String()
}

// fishQuote quotes s as one fish word.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
