"""Hand-written SQL on the driver's own connection, for the hottest paths: calling the
next customer (`claims`, per backend in `sqlite_claims` and `pg_claims`, reading
`queue_heads`) and the steps at a desk (`desk_steps`), on a connection lent by
`driver`."""
