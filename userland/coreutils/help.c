// help: lists the shell's builtins and the utilities in /bin with a line
// about each. tests/userland checks that this list names every program the
// userland builds and every builtin sh has.

#include <stdio.h>

typedef struct {
    const char* name;
    const char* summary;
} Topic;

static const Topic s_builtins[] = {
    { "bg [job]", "continue a stopped job in the background" },
    { "cd [dir|-]", "change the current directory (default $HOME)" },
    { "exit [n]", "leave the shell with status n" },
    { "export [name[=value]...]", "export variables to programs (no operand: list them)" },
    { "fg [job]", "continue a job in the foreground" },
    { "history", "list the commands typed so far" },
    { "jobs", "list the jobs and their states" },
    { "pwd", "print the current directory" },
    { "unset name...", "remove variables" },
    { "wait [job|pid...]", "wait for background jobs to finish" },
};

static const Topic s_utilities[] = {
    { "cat [-n] [file...]", "concatenate files to the output" },
    { "chmod [-R] mode file...", "change permission bits (octal or u+x style)" },
    { "chown [-Rh] uid[:gid] file...", "change the owner and group" },
    { "clear", "clear the terminal" },
    { "cp [-rp] src... dst", "copy files and directories" },
    { "df [-ah] [file...]", "show free space on mounted filesystems" },
    { "dmesg", "print the kernel log (/proc/dmesg)" },
    { "du [-asbh] [file...]", "show disk usage of files and directories" },
    { "echo [-neE] [text...]", "print the arguments" },
    { "echo_client word...", "send words to the \"echo\" IPC service, print the reply" },
    { "echo_service", "serve \"echo\" over capability IPC (run it with &)" },
    { "env [-i] [name=value...] [cmd...]", "run a command in a changed environment, or print it" },
    { "false", "do nothing, unsuccessfully" },
    { "find [path...] [-name p] [-type c]", "search for files in a directory tree" },
    { "free [-m]", "show memory usage (/proc/meminfo)" },
    { "grep [-ivnclqhHF] pattern [file...]", "print lines matching a pattern" },
    { "head [-n N] [-c N] [file...]", "print the first lines of files" },
    { "help", "this list" },
    { "kill [-SIGNAL] pid... | -l", "send a signal to processes, list signals" },
    { "kv set|get|del|list ...", "use the \"kv\" IPC key-value service" },
    { "kv_service", "serve \"kv\", a key-value store, over capability IPC (run it with &)" },
    { "ln [-sf] target [name]", "make hard or symbolic links" },
    { "ls [-laA1d] [file...]", "list directory contents" },
    { "lspci [-n]", "list PCI devices (/proc/pci)" },
    { "mkdir [-p] [-m mode] dir...", "make directories" },
    { "mount [-t type] [-o opts] src dir", "mount a filesystem (no operand: list mounts)" },
    { "mv src... dst", "move or rename files" },
    { "ps", "list processes (/proc)" },
    { "rm [-rf] file...", "remove files and directories" },
    { "rmdir [-p] dir...", "remove empty directories" },
    { "services", "list the IPC service registry" },
    { "sh [-c cmd | script]", "the shell" },
    { "sleep N[smhd]...", "pause for a while" },
    { "stat [-L] [-c fmt] file...", "show file status" },
    { "sync [file...]", "write cached data back to storage" },
    { "tail [-n [+]N] [-c N] [file...]", "print the last lines of files" },
    { "touch [-c] file...", "create files or update their times" },
    { "true", "do nothing, successfully" },
    { "umount dir...", "unmount filesystems" },
    { "uname [-asnrvm]", "print system information" },
    { "wc [-lwc] [file...]", "count lines, words and bytes" },
};

static void print_topics(const char* title, const Topic* topics, size_t count)
{
    printf("%s:\n", title);
    for (size_t i = 0; i < count; ++i)
        printf("  %-36s %s\n", topics[i].name, topics[i].summary);
}

int main(void)
{
    print_topics("Shell builtins", s_builtins, sizeof(s_builtins) / sizeof(s_builtins[0]));
    putchar('\n');
    print_topics("Utilities", s_utilities, sizeof(s_utilities) / sizeof(s_utilities[0]));
    putchar('\n');
    printf("Keys: Up/Down history, Tab completion, Ctrl-C interrupt, Ctrl-Z suspend, Ctrl-D end input.\n");
    return 0;
}
