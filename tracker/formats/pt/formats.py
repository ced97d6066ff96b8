# "5 de junho de 2007".
DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT
YEAR_MONTH_FORMAT = r"F \d\e Y"
