<?php
// Old template compatibility: copies whitelisted fields only.
foreach (array('page', 'lang') as $_k) { $$_k = isset($_GET[$_k]) ? preg_replace('/[^a-z0-9]/', '', $_GET[$_k]) : ''; }
echo htmlspecialchars($page . '/' . $lang);
