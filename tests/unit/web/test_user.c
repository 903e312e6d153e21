/*
 * test_user.c - password users in the store (store/user.h): adding,
 * checking, replacing a password, and what is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/store.h"
#include "store/user.h"

static const struct store_actor who = { "test", "local" };

static char dir[64];

static int setup(void **state)
{
	char path[96];
	struct store_open_opts o = { .create = true };
	struct store *st = NULL;

	snprintf(dir, sizeof(dir), "/tmp/mamori-user-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.db", dir);
	assert_int_equal(store_open(path, &o, &st, NULL), MAMORI_OK);
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	static const char *const files[] = { "m.db", "m.db-wal", "m.db-shm" };
	char path[96];

	store_free(*state);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

static enum mamori_err verify(struct store *st, const char *name,
			      const char *pw, enum user_role *role)
{
	return store_user_verify(st, name, pw, strlen(pw), role, NULL, NULL);
}

static void test_add_verify(void **state)
{
	struct store *st = *state;
	enum user_role role = USER_ROLE__MAX;

	assert_int_equal(store_user_add(st, &who, "bob", USER_REGULATOR,
					"correct horse", 13, NULL), MAMORI_OK);
	assert_int_equal(verify(st, "bob", "correct horse", &role), MAMORI_OK);
	assert_int_equal(role, USER_REGULATOR);
	assert_int_equal(verify(st, "bob", "correct hors", &role),
			 MAMORI_EDENIED);
	assert_int_equal(verify(st, "bob", "", &role), MAMORI_EDENIED);
	assert_int_equal(verify(st, "Bob", "correct horse", &role),
			 MAMORI_EDENIED);
	assert_int_equal(verify(st, "nobody", "correct horse", &role),
			 MAMORI_EDENIED);
	assert_int_equal(verify(st, "bad name!", "correct horse", &role),
			 MAMORI_EDENIED);
	/* a new password revokes the old one, the role follows */
	assert_int_equal(store_user_add(st, &who, "bob", USER_ADMIN,
					"battery staple", 14, NULL), MAMORI_OK);
	assert_int_equal(verify(st, "bob", "correct horse", &role),
			 MAMORI_EDENIED);
	assert_int_equal(verify(st, "bob", "battery staple", &role),
			 MAMORI_OK);
	assert_int_equal(role, USER_ADMIN);
}

static void test_refused(void **state)
{
	struct store *st = *state;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(store_user_add(st, &who, "bob", USER_REGULATOR,
					"short", 5, &err), MAMORI_EINVAL);
	assert_non_null(strstr(err.buf, "password"));
	assert_int_equal(store_user_add(st, &who, "1bob", USER_REGULATOR,
					"long enough pw", 14, NULL),
			 MAMORI_EINVAL);
	assert_int_equal(store_user_add(st, &who, "", USER_REGULATOR,
					"long enough pw", 14, NULL),
			 MAMORI_EINVAL);
	assert_int_equal(store_user_add(st, &who, "bo b", USER_REGULATOR,
					"long enough pw", 14, NULL),
			 MAMORI_EINVAL);
	strbuf_release(&err);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(user_name_valid("a", 1));
	assert_true(user_name_valid("a.b_c-9", 7));
	assert_false(user_name_valid("9a", 2));
	assert_false(user_name_valid("a/b", 3));
	assert_int_equal(user_role_parse("admin"), USER_ADMIN);
	assert_int_equal(user_role_parse("regulator"), USER_REGULATOR);
	assert_int_equal(user_role_parse("root"), -1);
	assert_string_equal(user_role_name(USER_ADMIN), "admin");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_verify, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
