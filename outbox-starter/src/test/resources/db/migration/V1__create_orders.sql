-- The test application's own V1: it must coexist with the starter's V1__outbox_event.sql.
CREATE TABLE orders (
    id       bigint        PRIMARY KEY,
    customer varchar(100)  NOT NULL,
    total    numeric(10,2) NOT NULL
);

CREATE SEQUENCE purchase_order_seq INCREMENT BY 50;

CREATE TABLE purchase_order (
    id       bigint       PRIMARY KEY,
    customer varchar(100) NOT NULL
);
