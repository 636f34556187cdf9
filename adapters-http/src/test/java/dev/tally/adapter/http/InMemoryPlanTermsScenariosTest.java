package dev.tally.adapter.http;

/** Features, overrides and scheduled plan changes over HTTP on in-memory storage (R73). */
class InMemoryPlanTermsScenariosTest extends PlanTermsScenarios {
}
