/*
 * prefecture.c - the 47 prefectures of JIS X 0401 (the same rows as
 * data/prefectures.csv; a unit test keeps the two equal). Must never
 * match a name loosely enough to take one prefecture for another.
 */
#include "store/store.h"

#include <strings.h>

#include "util/num.h"
#include "util/banned.h"

const struct prefecture prefectures[PREFECTURE_COUNT] = {
	{ "01", "北海道", "Hokkaido", "Hokkaido" },
	{ "02", "青森県", "Aomori", "Tohoku" },
	{ "03", "岩手県", "Iwate", "Tohoku" },
	{ "04", "宮城県", "Miyagi", "Tohoku" },
	{ "05", "秋田県", "Akita", "Tohoku" },
	{ "06", "山形県", "Yamagata", "Tohoku" },
	{ "07", "福島県", "Fukushima", "Tohoku" },
	{ "08", "茨城県", "Ibaraki", "Kanto" },
	{ "09", "栃木県", "Tochigi", "Kanto" },
	{ "10", "群馬県", "Gunma", "Kanto" },
	{ "11", "埼玉県", "Saitama", "Kanto" },
	{ "12", "千葉県", "Chiba", "Kanto" },
	{ "13", "東京都", "Tokyo", "Kanto" },
	{ "14", "神奈川県", "Kanagawa", "Kanto" },
	{ "15", "新潟県", "Niigata", "Chubu" },
	{ "16", "富山県", "Toyama", "Chubu" },
	{ "17", "石川県", "Ishikawa", "Chubu" },
	{ "18", "福井県", "Fukui", "Chubu" },
	{ "19", "山梨県", "Yamanashi", "Chubu" },
	{ "20", "長野県", "Nagano", "Chubu" },
	{ "21", "岐阜県", "Gifu", "Chubu" },
	{ "22", "静岡県", "Shizuoka", "Chubu" },
	{ "23", "愛知県", "Aichi", "Chubu" },
	{ "24", "三重県", "Mie", "Kinki" },
	{ "25", "滋賀県", "Shiga", "Kinki" },
	{ "26", "京都府", "Kyoto", "Kinki" },
	{ "27", "大阪府", "Osaka", "Kinki" },
	{ "28", "兵庫県", "Hyogo", "Kinki" },
	{ "29", "奈良県", "Nara", "Kinki" },
	{ "30", "和歌山県", "Wakayama", "Kinki" },
	{ "31", "鳥取県", "Tottori", "Chugoku" },
	{ "32", "島根県", "Shimane", "Chugoku" },
	{ "33", "岡山県", "Okayama", "Chugoku" },
	{ "34", "広島県", "Hiroshima", "Chugoku" },
	{ "35", "山口県", "Yamaguchi", "Chugoku" },
	{ "36", "徳島県", "Tokushima", "Shikoku" },
	{ "37", "香川県", "Kagawa", "Shikoku" },
	{ "38", "愛媛県", "Ehime", "Shikoku" },
	{ "39", "高知県", "Kochi", "Shikoku" },
	{ "40", "福岡県", "Fukuoka", "Kyushu-Okinawa" },
	{ "41", "佐賀県", "Saga", "Kyushu-Okinawa" },
	{ "42", "長崎県", "Nagasaki", "Kyushu-Okinawa" },
	{ "43", "熊本県", "Kumamoto", "Kyushu-Okinawa" },
	{ "44", "大分県", "Oita", "Kyushu-Okinawa" },
	{ "45", "宮崎県", "Miyazaki", "Kyushu-Okinawa" },
	{ "46", "鹿児島県", "Kagoshima", "Kyushu-Okinawa" },
	{ "47", "沖縄県", "Okinawa", "Kyushu-Okinawa" },
};

/* s equals ja, or ja without its last character (都, 道, 府, 県);
 * "北海" is not accepted for 北海道. */
static bool ja_match(struct slice s, const char *ja)
{
	size_t n = strlen(ja);

	if (slice_eq_cstr(s, ja))
		return true;
	/* every suffix is one 3-byte UTF-8 character */
	if (n > 3 && s.len == n - 3 && !memcmp(s.p, ja, n - 3) &&
	    strcmp(ja, "北海道") != 0)
		return true;
	return false;
}

const struct prefecture *prefecture_find(struct slice s)
{
	int64_t code;

	s = slice_trim(s);
	if (s.len == 0)
		return NULL;
	if (s.len <= 2 && num_parse_range(s, 1, PREFECTURE_COUNT, &code) == 0)
		return &prefectures[code - 1];
	for (size_t i = 0; i < PREFECTURE_COUNT; i++) {
		const struct prefecture *p = &prefectures[i];
		if (ja_match(s, p->ja))
			return p;
		if (s.len == strlen(p->en) && !strncasecmp(s.p, p->en, s.len))
			return p;
	}
	return NULL;
}
