"""Chinese formats with ISO 8601 first among the input formats.

Django's zh_Hans locale puts "%Y/%m/%d" first, and the first input format is the one every
DateInput renders its value with. A browser's <input type="date"> accepts only "2018-01-01", so a
value rendered "2018/01/01" shows as an empty box and the next save erases the date. ISO first
(GB/T 7408 writes dates the same way) makes every date, time and datetime box of every form,
staff page and the admin round-trip; the slash and 年月日 forms are still accepted when typed.
Display formats (DATE_FORMAT "2016年9月5日" and the rest) are Django's, imported unchanged.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05' (first: the format values are rendered with)
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%m月%d日",  # '2016年9月5日'
]

TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # '20:45:29' (first: the admin's time box keeps the seconds)
    "%H:%M",  # '20:45'
    "%H:%M:%S.%f",  # '20:45:29.000200'
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2016-09-05 20:45:29' (first: keeps the seconds)
    "%Y-%m-%d %H:%M",  # '2016-09-05 20:45'
    "%Y-%m-%dT%H:%M:%S",  # '2016-09-05T20:45:29' (<input type="datetime-local">)
    "%Y-%m-%dT%H:%M",  # '2016-09-05T20:45'
    "%Y/%m/%d %H:%M:%S",  # '2016/09/05 20:45:29'
    "%Y/%m/%d %H:%M",  # '2016/09/05 20:45'
    "%Y年%m月%d日 %H:%M:%S",  # '2016年9月5日 20:45:29'
    "%Y年%m月%d日 %H:%M",  # '2016年9月5日 20:45'
    "%Y-%m-%d %H:%M:%S.%f",  # '2016-09-05 20:45:29.000200'
]

# Numbers in form values are never grouped: <input type="number"> rejects "1,234.50".
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ""
