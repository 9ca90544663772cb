# Broken on purpose: the gross profit's growth is stated as +43.2 % where 765.6亿 against
# 574.76亿 is +33.2 %. Expected: a growth check, inconsistent.
PREFIX xmg:    <https://w3id.org/xmgraph/ont#>
PREFIX metric: <https://w3id.org/xmgraph/metric/>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
DELETE { ?obs xmg:yoyChange ?g }
INSERT { ?obs xmg:yoyChange "43.2"^^xsd:decimal }
WHERE {
  ?obs xmg:metric metric:GrossProfit ; xmg:period/xmg:periodCode "2024" ; xmg:yoyChange ?g .
}
