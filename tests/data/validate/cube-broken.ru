# Broken on purpose, the data structure: the measure component is dropped (IC-3, IC-14
# cannot hold), xmg:period loses its range (IC-4) and one observation's metric is a
# concept outside the metric scheme (IC-19).
PREFIX xmg:    <https://w3id.org/xmgraph/ont#>
PREFIX metric: <https://w3id.org/xmgraph/metric/>
PREFIX qb:     <http://purl.org/linked-data/cube#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
DELETE { ?dsd qb:component ?c . xmg:period rdfs:range ?range . metric:MarketShare skos:inScheme ?scheme }
WHERE {
  ?dsd qb:component ?c . ?c qb:measure ?m .
  xmg:period rdfs:range ?range .
  metric:MarketShare skos:inScheme ?scheme .
}
