package dev.tally.adapter.http;

/** Credit grants over HTTP on in-memory storage. */
class InMemoryCreditGrantScenariosTest extends CreditGrantScenarios {
}
