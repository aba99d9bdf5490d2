/* tests/unit/cli_manifest.c — image scan and build/manifest.bin (cli/scan.c, cli/manifest.c):
 * a small tree with names chosen to test bytewise order, read back entry by entry: root first,
 * sorted, modes, sizes, SHA-256, symlink targets; special files are refused by name. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cli/fileio.c"
#include "../../cli/manifest.c"
#include "../../cli/path.c"
#include "../../cli/scan.c"
#include "../../cli/sha.c"
#include "../../cli/util.c"

#include "unit.h"

static void put(const char *dir, const char *rel, const char *text)
{
	char *p = path_join(dir, rel);
	write_file_atomic(p, text, strlen(text), 0644);
	free(p);
}

int main(void)
{
	static const char *const order[] = { "", "a", "a-b", "a.txt", "a/b", "a/b/deep", "a/link",
					     "z" };
	char dir[] = "/tmp/cli_manifest.XXXXXX";
	struct mf_list l = { 0 };
	struct buf b = { 0 };
	char err[CLI_ERR_MAX] = "", *p;
	const struct cella_manifest_header *h;
	const struct cella_manifest_entry *e;
	const char *strs;
	int fd;
	bool sorted = true;

	if (!mkdtemp(dir))
		return 1;
	p = path_join(dir, "a"); mkdir(p, 0755); free(p);
	p = path_join(dir, "a/b"); mkdir(p, 0700); free(p);
	put(dir, "a/b/deep", "hello\n");
	put(dir, "a-b", "");
	put(dir, "a.txt", "x");
	put(dir, "z", "zz");
	p = path_join(dir, "a/link"); symlink("../z", p); free(p);

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK("scan of a tree succeeds", scan_image(fd, "image", &l, err) == 0);
	CHECK("scan finds every entry, the root included", l.n == 8);
	for (size_t i = 0; i < l.n; i++) {
		if (S_ISREG(l.v[i].mode)) {
			int f = openat(fd, l.v[i].path, O_RDONLY);
			sha256_fd(f, l.v[i].sha, NULL);
			close(f);
		}
	}
	manifest_serialize(&l, &b);
	h = (const void *)b.data;
	e = (const void *)(b.data + h->entries_off);
	strs = (const char *)b.data + h->strings_off;
	CHECK("manifest magic and version", h->magic == CELLA_MANIFEST_MAGIC &&
	      memcmp(b.data, "CELLAMNF", 8) == 0 && h->version == CELLA_MANIFEST_VERSION);
	CHECK("manifest count", h->count == 8);
	CHECK("total_size is the file length", h->total_size == b.len);
	CHECK("entries follow the header", h->entries_off == sizeof(*h));
	CHECK("strings follow the entries",
	      h->strings_off == h->entries_off + 8 * sizeof(struct cella_manifest_entry) &&
	      h->strings_off + h->strings_size == b.len);
	for (int i = 0; i < 8 && h->count == 8; i++)
		if (strcmp(strs + e[i].path_off, order[i]) != 0 ||
		    e[i].path_len != strlen(order[i])) {
			printf("  entry %d: expected \"%s\", got \"%s\"\n", i, order[i],
			       strs + e[i].path_off);
			sorted = false;
		}
	CHECK("entries sorted bytewise: a < a-b < a.txt < a/b (memcmp order)", sorted);
	CHECK("entry 0 is the root, a directory with an empty path",
	      e[0].path_len == 0 && S_ISDIR(e[0].mode));
	CHECK("directory mode kept", S_ISDIR(e[4].mode) && (e[4].mode & 0777) == 0700);
	CHECK("regular file size", S_ISREG(e[5].mode) && e[5].size == 6);
	CHECK("sha256 of \"hello\\n\"",
	      memcmp(e[5].sha256, "\x58\x91\xb5\xb5\x22\xd5\xdf\x08\x6d\x0f\xf0\xb1\x10\xfb\xd9\xd2"
				  "\x1b\xb4\xfc\x71\x63\xaf\x34\xd0\x82\x86\xa2\xe8\x46\xf6\xbe\x03", 32) == 0);
	CHECK("sha256 of an empty file",
	      memcmp(e[2].sha256, "\xe3\xb0\xc4\x42\x98\xfc\x1c\x14\x9a\xfb\xf4\xc8\x99\x6f\xb9\x24"
				  "\x27\xae\x41\xe4\x64\x9b\x93\x4c\xa4\x95\x99\x1b\x78\x52\xb8\x55", 32) == 0);
	CHECK("symlink target text kept", S_ISLNK(e[6].mode) && e[6].link_len == 4 &&
	      strcmp(strs + e[6].link_off, "../z") == 0);
	CHECK("non-symlinks have link_off 0 and link_len 0", e[5].link_off == 0 && e[5].link_len == 0);
	CHECK("directories and symlinks have a zero sha", e[1].sha256[0] == 0 && e[6].sha256[31] == 0);
	CHECK("manifest_check accepts it", manifest_check(b.data, b.len) == 0);
	CHECK("mf_find finds a path", mf_find(&l, "a/b/deep") == &l.v[5]);
	CHECK("mf_find misses an absent path", mf_find(&l, "a/c") == NULL);
	mf_free(&l);

	p = path_join(dir, "a/fifo");
	mkfifo(p, 0644);
	free(p);
	CHECK("a fifo in the image is an error", scan_image(fd, "image", &l, err) != 0);
	CHECK("the error names the fifo and the fix", strstr(err, "image/a/fifo") &&
	      strstr(err, "a fifo") && strstr(err, "remove it"));
	close(fd);
	buf_free(&b);
	remove_tree(dir);
	return failures ? 1 : 0;
}
