"""Queries compiled once per database and run as SQL: for a page served from the cache whose
freshness check (what it varies on) is a small aggregate, building the query with the ORM
took longer than running it.

`row(key, build, model, moment=None)` runs `build(marker)` compiled the first time; `build`
returns a queryset of one row whose filters may compare a datetime field of `model` with its
argument, which each call replaces with `moment`."""

import datetime as dt

from django.db import connections, router

_compiled = {}
MARKER = dt.datetime(1971, 1, 1, 0, 0, 1, tzinfo=dt.UTC)


def row(key, build, model, moment=None, *, field="created_at"):
    db = router.db_for_read(model)
    connection = connections[db]
    prep = model._meta.get_field(field).get_db_prep_value
    compiled = _compiled.get((key, db))
    if compiled is None:
        sql, params = build(MARKER).using(db).query.sql_with_params()
        marker = prep(MARKER, connection)
        slots = [i for i, p in enumerate(params) if p == marker]
        compiled = _compiled[(key, db)] = (sql, tuple(params), slots)
    sql, params, slots = compiled
    params = list(params)
    if slots:
        value = prep(moment, connection)
        for slot in slots:
            params[slot] = value
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
