#!/usr/bin/env python3
"""userland.shell: the Osprey sh (built with Osprey's libc) runs shell
snippets on the host. Each case checks stdout and the exit status, and
stderr where sh's own messages matter; cases marked `bash` must also give
bash the same stdout and status (bash runs with the same PATH, so both use
the Osprey utilities)."""

import os
import shutil
import stat
import subprocess
import sys
import tempfile

from harness import Checker, osprey_environment, parse_arguments, run

BASH = shutil.which("bash")

# (name, script, expected stdout, expected status, stderr substring or None,
#  compare with bash)
CASES = [
    ("pipeline", "echo hello | cat | wc -c", "6\n", 0, None, True),
    ("long pipeline", "echo abc | cat | cat | cat | cat | wc -c", "4\n", 0, None, True),
    ("pipeline status is the last command's", "false | true; echo $?; true | false; echo $?", "0\n1\n", 0, None, True),
    ("negation", "! true; echo $?; ! false; echo $?", "1\n0\n", 0, None, True),
    ("sequence", "echo a; echo b; echo c", "a\nb\nc\n", 0, None, True),
    ("and-or", "true && echo y || echo n; false && echo y || echo n; false || false || echo last",
     "y\nn\nlast\n", 0, None, True),
    ("exit status of false", "false; echo $?", "1\n", 0, None, True),
    ("command not found", "nosuchcommand_xyz; echo $?", "127\n", 0, "sh: nosuchcommand_xyz: command not found", False),
    ("missing path", "./no/such/file; echo $?", "127\n", 0, "sh: ./no/such/file: No such file or directory", False),
    ("not executable", "touch plain; ./plain; echo $?", "126\n", 0, "sh: ./plain: Permission denied", False),
    ("double quotes keep blanks", 'echo "a   b"', "a   b\n", 0, None, True),
    ("single quotes are literal", "x=1; echo '$x \"q\" \\n'", '$x "q" \\n\n', 0, None, True),
    ("backslash", "echo a\\ \\ b \\$x \\\\", "a  b $x \\\n", 0, None, True),
    ("empty quoted words survive", "showargs \"\" '' a\"\"b", "[] [] [ab]\n", 0, None, True),
    ("field splitting", "x='a  b'; showargs $x \"$x\" ${x}", "[a] [b] [a  b] [a] [b]\n", 0, None, True),
    ("unset variable disappears", "showargs a $nothing b \"$nothing\"", "[a] [b] []\n", 0, None, True),
    ("variables", "x=1; y=$x$x; echo $x ${y} \"${x}z\"", "1 11 1z\n", 0, None, True),
    ("defaults", "unset u; e=; echo ${u:-d1} ${u-d2} [${e:-d3}] [${e-d4}] ${u:+no}${e:+no}[${x:+yes}]",
     "d1 d2 [d3] [] []\n", 0, None, True),
    ("length and assign default", "v=hello; echo ${#v}; echo ${w:=set}; echo $w", "5\nset\nset\n", 0, None, True),
    ("arithmetic", "i=4; echo $((i * 3 + 1)) $(( (2+3) % 3 )) $((10 / 3)) $((-i)) $((1 < 2))", "13 2 3 -4 1\n", 0, None,
     True),
    ("command substitution", "a=$(echo inner; echo two); echo \"$a\"; echo `echo back` $(echo $(echo nested))",
     "inner\ntwo\nback nested\n", 0, None, True),
    ("substitution status", "a=$(false); echo $?; b=$(true); echo $?", "1\n0\n", 0, None, True),
    ("$? after a failing command", "ls /nonexistent_dir 2>/dev/null; echo $?", "2\n", 0, None, True),
    ("exit in a subshell", "(exit 4); echo $?", "4\n", 0, None, True),
    ("subshell isolation", "x=1; (x=2; cd /); echo $x; pwd | grep -c '^/$'", "1\n0\n", 1, None, True),
    ("export reaches children", "export V1=42; V2=7 env | grep '^V[12]='; V3=local; env | grep -c '^V3='",
     "V2=7\nV1=42\n0\n", 1, None, True),
    ("prefix assignment is temporary", "V=7 true; echo [$V]", "[]\n", 0, None, True),
    ("export then child shell", "export DEEP=yes; sh -c 'echo $DEEP'", "yes\n", 0, None, False),
    ("unset", "export GONE=1; unset GONE; env | grep -c GONE; echo [$GONE]", "0\n[]\n", 0, None, True),
    ("$$ is kept in subshells", "a=$$; b=$(echo $$); (echo $$) | grep -c \"^$a\\$\"; echo $b | grep -c \"^$a\\$\"",
     "1\n1\n", 0, None, True),
    ("redirect output", "echo one > f; echo two >> f; cat f; cat < f | wc -l", "one\ntwo\n2\n", 0, None, True),
    ("truncate on >", "echo long-line > t; echo s > t; cat t", "s\n", 0, None, True),
    ("stderr to a file", "ls /nonexistent_dir 2> err; cat err",
     "ls: cannot access '/nonexistent_dir': No such file or directory\n", 0, None, True),
    ("2>&1 into a pipe", "ls /nonexistent_dir 2>&1 | wc -l", "1\n", 0, None, True),
    ("stdout and stderr to one file", "sh -c 'echo out; echo err >&2' > both 2>&1; cat both", "out\nerr\n", 0, None,
     False),
    ("numbered fd", "echo three 3> f3 >&3; cat f3", "three\n", 0, None, True),
    ("&>", "sh -c 'echo o; echo e >&2' &> all; wc -l < all", "2\n", 0, None, False),
    ("close with >&-", "echo gone >&-; echo $?", "1\n", 0, None, False),
    ("missing input file", "cat < nofile; echo $?", "1\n", 0, "sh: nofile: No such file or directory", False),
    ("builtin redirect is undone", "pwd > p; echo after; wc -l < p", "after\n1\n", 0, None, True),
    ("builtin in a pipeline", "cd / | cat; pwd | grep -c '^/$'", "0\n", 1, None, True),
    ("globbing", "touch a.c b.c x.h .hidden.c; echo *.c; echo \"*.c\" '*.c' \\*.c; echo nomatch*; echo ?.h [ab].c",
     "a.c b.c\n*.c *.c *.c\nnomatch*\nx.h a.c b.c\n", 0, None, True),
    ("glob in a directory", "mkdir -p d/e; touch d/e/f1 d/e/f2; echo d/*/f*", "d/e/f1 d/e/f2\n", 0, None, True),
    ("tilde", "HOME=/home/x; echo ~ ~/y \"~\"", "/home/x /home/x/y ~\n", 0, None, True),
    ("comments", "echo a # not this\n# whole line\necho b#c", "a\nb#c\n", 0, None, True),
    ("echo -n", "echo -n x; echo y", "xy\n", 0, None, True),
    ("cd and pwd", "mkdir -p sub/dir; cd sub/dir && pwd | grep -c 'sub/dir$'; cd ..; cd - | grep -c 'sub/dir$'",
     "1\n1\n", 0, None, True),
    ("cd error", "cd /nonexistent_dir; echo $?", "1\n", 0, "sh: cd: /nonexistent_dir: No such file or directory",
     False),
    ("exit status", "echo a; exit 7; echo b", "a\n", 7, None, True),
    ("exit with a bad number", "exit abc", "", 2, "sh: exit: abc: numeric argument required", False),
    ("syntax error", "echo a |", "", 2, "syntax error", False),
    ("unexpected token", "echo a && ; echo b", "", 2, "syntax error near unexpected token `;'", False),
    ("unterminated quote", "echo 'abc", "", 2, "unexpected end of file", False),
    ("killed by SIGSEGV", "segv; echo $?", "139\n", 0, "Segmentation fault", False),
    ("killed by SIGTERM", "sh -c 'kill $$'; echo $?", "143\n", 0, "Terminated", False),
    ("killed by SIGKILL", "sh -c 'kill -9 $$'; echo $?", "137\n", 0, "Killed", False),
    ("background and wait", "sleep 0.2 & echo started; wait; echo done", "started\ndone\n", 0, None, True),
    ("$! and wait for it", "sh -c 'exit 5' & p=$!; wait $p; echo $?", "5\n", 0, None, True),
    ("background && list", "(sleep 0.1; echo x) && echo y & wait; echo z", "x\ny\nz\n", 0, None, True),
]


def run_script_file(checker, arguments, environment, directory):
    script = os.path.join(directory, "script.sh")
    with open(script, "w") as handle:
        handle.write('echo "$0" $# "$1" "$2"\nfor_each=no\nshowargs "$@"\nshowargs $*\nexit 3\necho not reached\n')
    result = run([os.path.join(arguments.bin_dir, "sh"), script, "x y", "z"], cwd=directory, env=environment)
    checker.equal("script with arguments: output", result.stdout, f"{script} 2 x y z\n[x y] [z]\n[x] [y] [z]\n")
    checker.equal("script with arguments: status", result.returncode, 3)

    # A file without "#!": execve says ENOEXEC and sh runs it as a script.
    plain = os.path.join(directory, "plain-script")
    with open(plain, "w") as handle:
        handle.write("echo from-script $1\n")
    os.chmod(plain, 0o755)
    result = run([os.path.join(arguments.bin_dir, "sh"), "-c", "./plain-script arg; echo $?"], cwd=directory,
                 env=environment)
    checker.equal("script without #!", result.stdout, "from-script arg\n0\n")

    # Commands on stdin (not a terminal): no prompt, multi-line constructs.
    text = "echo one \\\n two\necho 'multi\nline' |\n  cat\nfalse\necho $?\n"
    result = run([os.path.join(arguments.bin_dir, "sh")], cwd=directory, env=environment, input=text)
    checker.equal("commands from stdin", result.stdout, "one two\nmulti\nline\n1\n")
    checker.equal("no prompt on stdin", result.stderr, "")

    # Commands read from stdin leave the rest of stdin to the programs.
    # (head may read past its line, so nothing follows the data.)
    result = run([os.path.join(arguments.bin_dir, "sh")], cwd=directory, env=environment,
                 input="head -n 1\nthis line is data\n")
    checker.equal("stdin shared with commands", (result.stdout, result.stderr), ("this line is data\n", ""))

    process = subprocess.Popen([os.path.join(arguments.bin_dir, "sh"), "-c", "echo $$"], cwd=directory,
                               env=environment, stdout=subprocess.PIPE, text=True)
    output, _ = process.communicate(timeout=20)
    checker.equal("$$ is the shell's pid", output, f"{process.pid}\n")

    result = run([os.path.join(arguments.bin_dir, "sh"), "-c", "echo $0 $1 $#", "name", "first"], cwd=directory,
                 env=environment)
    checker.equal("sh -c with name and arguments", result.stdout, "name first 1\n")

    result = run([os.path.join(arguments.bin_dir, "sh"), "/nonexistent/script"], cwd=directory, env=environment)
    checker.check("missing script", result.returncode == 127 and "No such file or directory" in result.stderr,
                  f"status {result.returncode}, stderr {result.stderr!r}")

    result = run([os.path.join(arguments.bin_dir, "sh"), "-z"], cwd=directory, env=environment)
    checker.check("bad option", result.returncode == 2 and "invalid option" in result.stderr,
                  f"status {result.returncode}, stderr {result.stderr!r}")


def main():
    arguments = parse_arguments()
    checker = Checker("userland.shell")
    sh = os.path.join(arguments.bin_dir, "sh")
    for name, script, stdout, status, stderr, compare in CASES:
        with tempfile.TemporaryDirectory(prefix="osprey-sh-") as directory:
            environment = osprey_environment(arguments)
            result = run([sh, "-c", script], cwd=directory, env=environment)
            if stdout is not None:
                checker.equal(f"{name}: output", result.stdout, stdout)
            checker.equal(f"{name}: status", result.returncode, status)
            if stderr is not None:
                checker.check(f"{name}: message", stderr in result.stderr, f"stderr {result.stderr!r}")
        if compare and BASH:
            with tempfile.TemporaryDirectory(prefix="osprey-bash-") as directory:
                reference = run([BASH, "--norc", "--noprofile", "-c", script], cwd=directory,
                                env=osprey_environment(arguments))
                checker.equal(f"{name}: same as bash", (result.stdout, result.returncode),
                              (reference.stdout, reference.returncode))
    with tempfile.TemporaryDirectory(prefix="osprey-sh-") as directory:
        run_script_file(checker, arguments, osprey_environment(arguments), directory)
    return checker.finish()


if __name__ == "__main__":
    sys.exit(main())
