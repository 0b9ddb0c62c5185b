<?php
// A-Z index of the site directory.
foreach (range('a', 'z') as $l) { printf('<a href="?letter=%s">%s</a> ', $l, strtoupper($l)); }
