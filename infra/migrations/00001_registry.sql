-- +goose Up
CREATE TABLE courts (
    id            text PRIMARY KEY,
    name_kk       text NOT NULL,
    name_ru       text NOT NULL,
    name_en       text NOT NULL,
    city_kk       text NOT NULL DEFAULT '',
    city_ru       text NOT NULL DEFAULT '',
    city_en       text NOT NULL DEFAULT '',
    kato_prefixes text[] NOT NULL DEFAULT '{}',
    active        boolean NOT NULL DEFAULT true,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public_bodies (
    bin        char(12) PRIMARY KEY,
    name_kk    text NOT NULL,
    name_ru    text NOT NULL,
    name_en    text NOT NULL,
    kato       char(9) NOT NULL,
    level      text NOT NULL CHECK (level IN ('central', 'regional', 'district')),
    parent_bin char(12) REFERENCES public_bodies (bin),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_bodies_search ON public_bodies
    USING gin (to_tsvector('simple', name_kk || ' ' || name_ru || ' ' || name_en));

-- People are whoever has signed in; roles come from memberships, not from the identity provider.
CREATE TABLE people (
    iin        char(12) PRIMARY KEY,
    name       text NOT NULL,
    email      text NOT NULL DEFAULT '',
    locale     text NOT NULL DEFAULT 'ru',
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz
);

CREATE TABLE memberships (
    id         bigserial PRIMARY KEY,
    iin        char(12) NOT NULL,
    role       text NOT NULL CHECK (role IN ('officer', 'clerk', 'admin')),
    body_bin   char(12) REFERENCES public_bodies (bin),
    court_id   text REFERENCES courts (id),
    granted_by char(12),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'officer') = (body_bin IS NOT NULL)),
    CHECK ((role = 'clerk') = (court_id IS NOT NULL))
);
CREATE UNIQUE INDEX memberships_unique ON memberships (iin, role, coalesce(body_bin, ''), coalesce(court_id, ''));

-- +goose Down
DROP TABLE memberships;
DROP TABLE people;
DROP TABLE public_bodies;
DROP TABLE courts;
