package com.example.shop;

/** The shop on H2 in memory, as application.properties sets it up. */
class H2ShopTest extends ShopTest {
}
