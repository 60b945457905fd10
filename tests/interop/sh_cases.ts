/**
 * Shell cases: `sh -c script args...` with the expected standard output,
 * exit status and standard error. The same cases run under qemu-riscv32
 * (`tests/interop/qemu_tests_test.ts`, where the shell's children are host
 * utilities) and on Strata (`tests/plugins/personalities/unix/sh_strata_test.ts`, where they are
 * ours), with the same expectations.
 *
 * Conventions for a runner: `{dir}` in `args` is a fresh, empty scratch
 * directory; the environment is only `PATH=/usr/bin:/bin` and `HOME=/`;
 * standard input is a pipe; `/usr` exists.
 * @module
 */

/**
 * One shell run: `sh -c SCRIPT ARGS...` (or `sh ARGS...` without a script),
 * with the expected stdout, status and stderr.
 */
export interface ShellCase {
  /** Step name. */
  name: string;
  /** The `-c` script; absent: the shell gets only `args` (a script file, or stdin). */
  script?: string;
  /** $0 and the positional parameters (with a script); `{dir}` is the scratch directory. */
  args?: string[];
  /** Standard input (through a pipe). */
  stdin?: string;
  /** Files to create in the scratch directory first: name -> contents. */
  files?: Record<string, string>;
  /** Exact standard output; `{dir}` stands for the scratch directory. */
  stdout: string;
  /** Exit status (default 0). */
  status?: number;
  /** Exact standard error, or a pattern for it (default ""). */
  stderr?: string | RegExp;
}

/** The shell's argv after `sh` for a case, with `{dir}` replaced. */
export function shellArgs(c: ShellCase, dir: string): string[] {
  const args = (c.args ?? []).map((a) => a.replaceAll("{dir}", dir));
  return c.script === undefined ? args : ["-c", c.script, ...args];
}

/** Every shell case. */
export const SH_CASES: readonly ShellCase[] = [
  { name: "simple command", script: "echo hello world", stdout: "hello world\n" },
  {
    name: "variables and quoting",
    script: `X=1; Y="a  b"; echo $X \${X} "$X" $Y "$Y" 'sq $X' "dq \\$X \\"q\\"" a\\ b`,
    stdout: '1 1 1 a b a  b sq $X dq $X "q" a b\n',
  },
  {
    name: "and-or lists and $?",
    script: "false || echo or $?; true && echo and $?; false && echo no; true || echo no; " +
      "false; echo $?",
    stdout: "or 1\nand 0\n1\n",
  },
  {
    name: "pipeline of three; status is the last command's",
    script: "echo abc | tr a-c x-z | cat; false | true; echo $?; true | false; echo $?",
    stdout: "xyz\n0\n1\n",
  },
  {
    name: "negated pipeline",
    script: "! false; echo $?; ! true; echo $?",
    stdout: "0\n1\n",
  },
  {
    name: "redirections < > >> 2> 2>&1 N>&M and closing",
    args: ["sh", "{dir}"],
    script: "cd $1 && echo one > f && echo two >> f && cat < f && " +
      "ls /nonexistent-dir 2> err; test -s err && echo err-captured; " +
      "ls /nonexistent-dir > both 2>&1; test -s both && echo both-captured; " +
      "echo to-three 3>out3 1>&3; cat out3; echo x >&-; echo closed $?",
    stdout: "one\ntwo\nerr-captured\nboth-captured\nto-three\nclosed 1\n",
    stderr: /write error|Bad file descriptor/,
  },
  {
    name: "assignment before a command goes to its environment only",
    script: "FOO=bar env | grep '^FOO='; echo [$FOO]; export FOO=baz; env | grep '^FOO='; " +
      "unset FOO; env | grep -c '^FOO='",
    stdout: "FOO=bar\n[]\nFOO=baz\n0\n",
    status: 1,
  },
  {
    name: "positional parameters, $# and $@",
    script: 'echo $0 $1 $2 $#; for_x=1; echo "$@"; echo ${#1}',
    args: ["myname", "a b", "c"],
    stdout: "myname a b c 2\na b c\n3\n",
  },
  {
    name: "parameter forms ${X:-w} ${X:+w} ${X:=w} ${#X}",
    script: "echo ${U:-def} ${U-d2} x${U:+no}y; Z=${Z:=zz}; echo $Z ${#Z}; E=; echo [${E:-e}]",
    stdout: "def d2 xy\nzz 2\n[e]\n",
  },
  {
    name: "$$ is the shell's pid and stays so in pipelines",
    script: 'echo $$ > /dev/null; A=$$; echo $A | tr -d 0-9; test "$A" -gt 1 && echo pid-ok',
    stdout: "\npid-ok\n",
  },
  {
    name: "comments and line continuation",
    script: "echo a # not printed\necho b \\\n  c",
    stdout: "a\nb c\n",
  },
  {
    name: "builtins cd, cd -, pwd, HOME",
    script: "cd /usr && pwd && cd / && cd - && HOME=/tmp && cd && pwd && cd /nonexistent",
    stdout: "/usr\n/usr\n/tmp\n",
    status: 1,
    stderr: "sh: cd: /nonexistent: No such file or directory\n",
  },
  {
    name: "command not found is 127",
    script: "no-such-command-xyz; echo $?",
    stdout: "127\n",
    stderr: "sh: no-such-command-xyz: not found\n",
  },
  {
    name: "PATH search",
    script: "PATH=/nonexistent:/usr/bin:/bin; echo found",
    stdout: "found\n",
  },
  {
    name: "background job, $!, wait pid and wait",
    script: 'sh -c "exit 3" & P=$!; wait $P; echo status $?; sleep 0.05 & wait; echo all $?',
    stdout: "status 3\nall 0\n",
  },
  {
    name: "signalled children are reported, status 128+sig",
    script: 'sh -c "kill -SEGV \\$\\$"; echo $?; sh -c "kill -TERM \\$\\$"; echo $?; ' +
      'sh -c "kill -KILL \\$\\$"; echo $?; sh -c "kill -ABRT \\$\\$"; echo $?',
    stdout: "139\n143\n137\n134\n",
    stderr: "Segmentation fault\nTerminated\nKilled\nAborted\n",
  },
  {
    name: "command substitution $(...) and backquotes",
    script: 'echo $(echo a  b) "$(echo "x  y")" `echo back`; X=$(printf "1\\n2\\n\\n"); ' +
      'echo "$X"; echo $(echo $(echo nested)); echo "$(echo ")")"; Y=$(exit 3); echo $?',
    stdout: "a b x  y back\n1\n2\nnested\n)\n3\n",
  },
  {
    name: "builtins read, exec, kill",
    script: 'read a b; echo "[$a][$b]"; read -r c; echo "[$c]"; read d; echo $? "[$d]"; ' +
      "exec 3>$1/three; echo via3 >&3; cat $1/three; sleep 5 & kill %1; wait $!; echo $?; " +
      "exec echo replaced; echo not reached",
    args: ["sh", "{dir}"],
    stdin: "one two  three \nback\\slash\n",
    stdout: "[one][two  three]\n[back\\slash]\n1 []\nvia3\n143\nreplaced\n",
  },
  {
    name: "if / elif / else",
    script: "if false; then echo a; elif true; then echo b; else echo c; fi; " +
      "if false; then echo x; fi; echo $?; if true\nthen\n  echo multi-line\nfi",
    stdout: "b\n0\nmulti-line\n",
  },
  {
    name: "for, while, until, break and continue",
    script: "for i in a b c; do echo $i; done; for a; do echo arg $a; done; " +
      "for x in 1 2; do for y in a b c; do if test $y = b; then continue 2; fi; echo $x$y; done; done; " +
      "n=0; while test $n -lt 3; do n=$((n + 1)); if test $n = 2; then continue; fi; echo n$n; done; " +
      "until true; do echo never; done; while true; do break; done; echo end",
    args: ["sh", "p1", "p2"],
    stdout: "a\nb\nc\narg p1\narg p2\n1a\n2a\nn1\nn3\nend\n",
  },
  {
    name: "subshell ( ), group { }, redirected and piped compound commands",
    script: "cd /usr; (cd /; pwd; exit 3); echo $?; pwd; { echo g1; echo g2; } > $1/g; cat $1/g; " +
      "printf 'l1\\nl2\\n' | while read line; do echo got $line; done; " +
      "for w in x y; do echo $w; done | wc -l",
    args: ["sh", "{dir}"],
    stdout: "/\n3\n/usr\ng1\ng2\ngot l1\ngot l2\n2\n",
  },
  {
    name: "test and [ builtins",
    script: "[ 1 -lt 2 ] && echo lt; [ a = b ] || echo ne; test -d / && echo dir; " +
      "[ ! -e /nonexistent ] && echo absent; [ -z '' -a -n x ] && echo and; " +
      "[ \\( x = y \\) -o 3 -ge -3 ] && echo or; [ x -lt 1 ]; echo $?; [ 1 = 1; echo $?",
    stdout: "lt\nne\ndir\nabsent\nand\nor\n2\n2\n",
    stderr: "sh: test: x: integer expression expected\nsh: [: missing ]\n",
  },
  {
    name: "arithmetic expansion",
    script: "echo $((1+2*3)) $(( (1+2)*3 )) $((7/2)) $((7%3)) $((-3+1)) $((1<2)) " +
      "$((1==1 && 0 || 1)) $((1<<4)) $((5&3)) $((5|3)) $((5^3)) $((!0)) $((~0)); " +
      'i=5; echo $((i+1)) $(($i*2)) $((unset_var+1)) "$((10/3))"; ' +
      "n=0; while [ $n -lt 3 ]; do n=$((n+1)); done; echo $n; echo $((1/0)); echo after",
    stdout: "7 9 3 1 -2 1 1 16 1 7 6 1 -1\n6 10 1 3\n3\nafter\n",
    stderr: "sh: arithmetic: division by zero\n",
  },
  {
    name: "case and shift",
    script:
      'for x in apple b.c "*" zz ""; do case $x in a*) echo "$x: a";; *.c|*.h) echo "$x: src" ;; ' +
      '"*") echo "$x: star";; "") echo empty;; *) echo "$x: other"; esac; done; ' +
      "case y in\n  (x) echo no ;;\n  y) ;;\nesac; echo $?; " +
      'while [ $# -gt 0 ]; do echo "$1"; shift; done; shift; echo $?',
    args: ["sh", "p 1", "p2"],
    stdout: "apple: a\nb.c: src\n*: star\nzz: other\nempty\n0\np 1\np2\n1\n",
    stderr: "sh: shift: can't shift that many\n",
  },
  {
    name: "functions, return, recursion",
    script: 'greet() { echo "hello $1 ($#)"; }; greet world; greet "a b" c; ' +
      "add() {\n  echo $(( $1 + $2 ))\n}\nadd 2 3; f() { return 7; echo no; }; f; echo $?; " +
      "fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; " +
      "fact 5; greet piped | cat; g() ( cd /; pwd ); g; echo $0 $1; " +
      "rec() { rec; }; rec; echo deep $?",
    args: ["name", "outer"],
    stdout: "hello world (1)\nhello a b (2)\n5\n7\n120\nhello piped (1)\n/\nname outer\ndeep 2\n",
    stderr: "sh: rec: function nesting too deep\n",
  },
  {
    name: ". and source (arguments, return, a syntax error), type, umask",
    args: ["sh", "{dir}"],
    script: "cd $1 && shift && printf 'echo in lib: $# $1\\nX=from_lib\\nf() { echo f ran; }\\n" +
      "return 7\\necho not reached\\n' > lib.sh && printf 'echo one\\nbad ( x\\necho no\\n' > bad.sh; " +
      '. ./lib.sh a b; echo "st=$? X=$X n=$#"; f; source ./lib.sh; echo st=$?; ' +
      ". ./bad.sh; echo st=$?; . ./missing; echo st=$?; . ; echo st=$?; " +
      "type cd f; type nosuch; echo st=$?; umask 027; umask; umask 9; echo st=$?; return 1",
    stdout: "in lib: 2 a\nst=7 X=from_lib n=0\nf ran\nin lib: 0\nst=7\none\nst=2\nst=1\n" +
      "st=2\ncd is a shell builtin\nf is a function\nst=1\n0027\nst=1\n",
    status: 1,
    stderr: "sh: syntax error: unexpected `x'\nsh: .: ./missing: No such file or directory\n" +
      "sh: .: filename argument required\nsh: type: nosuch: not found\n" +
      "sh: umask: 9: octal number out of range\nsh: return: not in a function or sourced file\n",
  },
  {
    // bash's format; in a subshell `trap` lists only what stays ignored, as dash
    // does (bash lists the parent's traps there).
    name: "trap: signals between commands, '' and -, listing, EXIT, subshells",
    script: "trap 'echo exiting with $?' EXIT; trap 'echo got USR1; false' USR1; trap; " +
      "kill -USR1 $$; echo after usr1 st=$?; trap '' TERM; kill -TERM $$; echo still here; " +
      "trap - USR1; trap 'echo it'\"'\"'s INT' INT; trap; trap 'x' BOGUS; echo bogus-st=$?; " +
      "( trap; echo in subshell; exit 4 ); echo sub=$?; f() { exit 3; }; f; echo not reached",
    stdout: "trap -- 'echo exiting with $?' EXIT\ntrap -- 'echo got USR1; false' SIGUSR1\n" +
      "got USR1\nafter usr1 st=0\nstill here\ntrap -- 'echo exiting with $?' EXIT\n" +
      "trap -- 'echo it'\\''s INT' SIGINT\ntrap -- '' SIGTERM\nbogus-st=1\n" +
      "trap -- '' SIGTERM\nin subshell\nsub=4\nexiting with 3\n",
    status: 3,
    stderr: "sh: trap: BOGUS: invalid signal specification\n",
  },
  {
    name: "command: skips functions; -v and -V",
    script: "ls() { echo fn-ls; }; ls; command ls -d /; command -- ls -d /; command -v cd ls; " +
      "command -v nosuch; echo st=$?; command -V cd; command -x; echo st=$?",
    stdout: "fn-ls\n/\n/\ncd\nls\nst=1\ncd is a shell builtin\nst=2\n",
    stderr: "sh: command: -x: unsupported option (use -v or -V)\n",
  },
  {
    name: "local: dynamic scope, restored on return, recursion",
    script:
      'x=global; y=gy; f() { local x=inner y; echo "in f: x=$x y=${y-unset}"; g; x=changed; }; ' +
      'g() { echo "in g: x=$x"; local x=g; echo "g local: $x"; }; f; echo "after: x=$x y=$y"; ' +
      "local z; echo st=$?; r() { local n=$1; if [ $n -gt 0 ]; then r $((n-1)); fi; echo n=$n; }; r 2",
    stdout: "in f: x=inner y=unset\nin g: x=inner\ng local: g\nafter: x=global y=gy\nst=1\n" +
      "n=0\nn=1\nn=2\n",
    stderr: "sh: local: can only be used in a function\n",
  },
  {
    // Expected values are bash's for the same expressions.
    name: "arithmetic: assignments, ++ and --, ?:, short circuits, octal and hex",
    script: "i=5; echo $((i += 3)) $i; echo $((i++)) $i $((++i)) $((i--)) $((--i)) $i; " +
      "echo $((x = 7 * 2)) $x; echo $((0 && (y = 1))) ${y-unset} $((1 || (y = 2))) ${y-unset}; " +
      "echo $((1 ? 10 : (y = 3))) ${y-unset} $((0 ? 1/0 : 4)); echo $((0x1f + 010 + 9)); " +
      "echo $((a = b = 3)) $a $b; echo $((n <<= 2)) $((n |= 5)) $((n %= 4)) $((n ^= 3)) " +
      "$((n *= -2)) $((n /= 3)) $((n -= 1)) $((n &= 6)) $((n >>= 1)); " +
      "echo $((--5)) $((- -5)) $((5 == 5)) $((7 % -1)); i=1; echo $(( i+++i )) $i; echo $((08))",
    stdout: "8 8\n8 9 10 10 8 8\n14 14\n0 unset 1 unset\n10 unset 4\n48\n3 3 3\n" +
      "0 5 1 2 -4 -1 -2 6 3\n5 5 1 0\n3 2\n",
    stderr: "sh: arithmetic: bad octal constant\n",
    status: 1,
  },
  {
    // Output as bash gives it for the same script and arguments.
    name: "getopts: groups, arguments, errors, silent mode, --",
    script: 'while getopts "ab:c" opt; do case $opt in a) echo a;; b) echo "b=$OPTARG";; ' +
      'c) echo c;; ?) echo bad;; esac; done; shift $((OPTIND - 1)); echo "rest: $* ($OPTIND)"; ' +
      'OPTIND=1; while getopts ":x:y" o -y -x; do echo "o=$o OPTARG=${OPTARG-unset}"; done; ' +
      'OPTIND=1; getopts "x" o -- -x; echo "st=$? o=$o OPTIND=$OPTIND"',
    args: ["script", "-ab", "val", "-c", "-bX", "-z", "-ac", "--", "-a", "file1"],
    stdout: "a\nb=val\nc\nb=X\nbad\na\nc\nrest: -a file1 (8)\no=y OPTARG=unset\n" +
      "o=: OPTARG=x\nst=1 o=? OPTIND=2\n",
    stderr: "script: illegal option -- z\n",
  },
  {
    // Output as bash and dash give it.
    name: 'IFS: white space and other separators, empty fields, "$*", read',
    script: 'v="a  b:c::d :e"; for f in $v; do echo "[$f]"; done; IFS=": "; ' +
      'for f in $v; do echo "<$f>"; done; x=":lead:"; for f in x${x}y; do echo "{$f}"; done; ' +
      'set -- p q r; echo "$*"; IFS=; echo "$*"; for f in $v; do echo "($f)"; done; IFS=:; ' +
      'read a b c; echo "a=$a b=$b c=$c"; unset IFS; read a b; echo "a=[$a] b=[$b]"',
    stdin: "one:two:three:four\n  x   y   z  \n",
    stdout: "[a]\n[b:c::d]\n[:e]\n<a>\n<b>\n<c>\n<>\n<d>\n<e>\n{x}\n{lead}\n{y}\np:q:r\npqr\n" +
      "(a  b:c::d :e)\na=one b=two c=three:four\na=[x] b=[y   z]\n",
  },
  {
    // As dash does it (bash expands aliases in scripts only with expand_aliases).
    name: "alias and unalias: defined on one line, used on the next; no loops",
    script: "alias ll='ls -d' greet='echo hello'\nalias\nll /\ngreet world\n" +
      "alias ls='ls -d'\nls /\nalias a1=a2 a2=a1\na1 2>/dev/null; echo st=$?\n" +
      "alias nope; echo st=$?\nunalias greet\ngreet 2>/dev/null; echo st=$?\n" +
      "alias greet='echo hi'\nif true; then greet; fi; echo x | greet\nunalias -a; alias; echo end",
    stdout: "greet='echo hello'\nll='ls -d'\n/\nhello world\n/\nst=127\nst=1\nst=127\n" +
      "hi\nhi\nend\n",
    stderr: "sh: alias: nope: not found\n",
  },
  {
    name: "here-documents << <<- and quoted delimiters",
    script: 'N=world; cat <<EOF\nhello $N "q" \\$N $(echo sub)\nEOF\n' +
      "cat <<'END'\nliteral $N\nEND\ncat <<-T\n\t\ttabs $N\n\tT\n" +
      "cat <<A; cat <<B\nfirst\nA\nsecond\nB\n" +
      'while read l; do echo "[$l]"; done <<EOF\na b\nc\nEOF\necho done',
    stdout: 'hello world "q" $N sub\nliteral $N\ntabs world\nfirst\nsecond\n[a b]\n[c]\ndone\n',
  },
  {
    name: "set --, set -x, set -e",
    script: 'set -- a "b c"; echo $# $2; set -x; X=1 echo traced; set +x; echo quiet; set -e; ' +
      "false || echo ok; if false; then :; fi; ! true; false && echo no; echo still; " +
      "f() { false; echo not-here; }; f; echo never",
    stdout: "2 b c\ntraced\nquiet\nok\nstill\n",
    status: 1,
    stderr: "+ X=1 echo traced\n+ set +x\n",
  },
  {
    name: "exit with a status; exit stops the script",
    script: "exit 5; echo not reached",
    stdout: "",
    status: 5,
  },
  {
    name: "syntax error exits 2",
    script: "echo a |",
    stdout: "",
    status: 2,
    stderr: "sh: syntax error: unexpected end of input\n",
  },
  {
    name: "unterminated quote is a syntax error",
    script: "echo 'abc",
    stdout: "",
    status: 2,
    stderr: "sh: syntax error: unterminated quote '\n",
  },
  {
    // Through a pipe the shell reads byte by byte, so a command that reads one
    // line (the child sh's `read`, itself byte by byte) gets the next line.
    name: "a script on stdin leaves the rest of stdin for its commands",
    stdin: "echo l1\nsh -c 'read x; echo got $x'\nthis line is data\necho l4\n",
    stdout: "l1\ngot this line is data\nl4\n",
  },
  {
    name: "a script file with arguments",
    args: ["{dir}/script.sh", "arg1"],
    files: { "script.sh": "echo $0 $1\nexit 4\n" },
    stdout: "{dir}/script.sh arg1\n",
    status: 4,
  },
  {
    name: "ulimit sets both limits, or the soft (-S) or hard (-H) one alone",
    script: "ulimit -n 100; ulimit -n; ulimit -Hn; ulimit -Sn 50; ulimit -n; ulimit -Hn; " +
      "ulimit -S -n -H 90; ulimit -Hn; ulimit -Sn; ulimit -n 40 -f 8; ulimit -n -f",
    stdout: "100\n100\n50\n100\n90\n90\n" +
      "open files                          (-n) 40\nfile size                   (blocks, -f) 8\n",
  },
  {
    name: "ulimit -f counts 512-byte blocks: a write past it is cut short, then SIGXFSZ",
    script: '(ulimit -f 1; cat "$1/big" > "$1/out"); echo $?; wc -c < "$1/out"',
    args: ["sh", "{dir}"],
    files: { "big": "x".repeat(1000) },
    stdout: "153\n512\n",
    stderr: /^(File size limit exceeded.*\n)?$/,
  },
  {
    name: "ulimit -a lists every limit with its label and unit",
    script: "ulimit -a | cut -c1-40",
    stdout: [
      "real-time non-blocking time  (microsecon",
      "core file size              (blocks, -c)",
      "data seg size               (kbytes, -d)",
      "scheduling priority                 (-e)",
      "file size                   (blocks, -f)",
      "pending signals                     (-i)",
      "max locked memory           (kbytes, -l)",
      "max memory size             (kbytes, -m)",
      "open files                          (-n)",
      "pipe size                (512 bytes, -p)",
      "POSIX message queues         (bytes, -q)",
      "real-time priority                  (-r)",
      "stack size                  (kbytes, -s)",
      "cpu time                   (seconds, -t)",
      "max user processes                  (-u)",
      "virtual memory              (kbytes, -v)",
      "file locks                          (-x)",
      "",
    ].join("\n"),
  },
  {
    name: "ulimit errors: a bad number, an unknown option, the read-only pipe size",
    script: "ulimit -x abc; echo $?; ulimit -z; echo $?; ulimit -p 3; echo $?; ulimit -p",
    stdout: "1\n2\n1\n8\n",
    stderr: "sh: ulimit: abc: invalid number\nsh: ulimit: -z: invalid option\n" +
      "ulimit: usage: ulimit [-SHaRcdefilmnpqrstuvx] [limit]\n" +
      "sh: ulimit: pipe size: cannot modify limit: Invalid argument\n",
  },
];
