"""Operations change data: they may flush but never commit; the view commits once."""
